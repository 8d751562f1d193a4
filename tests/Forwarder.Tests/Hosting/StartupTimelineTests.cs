using System.Runtime.Versioning;
using Forwarder.Hosting;

namespace Forwarder.Tests.Hosting;

/// <summary>The start-up phases' line and their hand-over across the capability re-exec.</summary>
[SupportedOSPlatform("linux")]
public class StartupTimelineTests
{
    [Fact]
    public void Marks_survive_the_hand_over()
    {
        (StartupPhase, long)[] marks = [(StartupPhase.RuntimeUp, 5_000_000_000), (StartupPhase.ConfigLoaded, 5_080_000_000), (StartupPhase.ReExec, 5_200_000_000)];

        Assert.Equal(marks, StartupTimeline.Parse(StartupTimeline.Encode(marks)));
    }

    [Theory]
    [InlineData("0:abc")]
    [InlineData("0:-5")]
    [InlineData("0:0")]
    [InlineData("99:100")]
    [InlineData("-1:100")]
    [InlineData("0:100:7")]
    [InlineData("RuntimeUp:100")]
    [InlineData("0:100,garbage")]
    [InlineData("0:99999999999999999999999")]
    public void A_hostile_hand_over_is_dropped_whole(string text)
    {
        Assert.Empty(StartupTimeline.Parse(text));
    }

    [Fact]
    public void Too_many_marks_are_dropped_whole()
    {
        string text = string.Join(',', Enumerable.Repeat("0:100", StartupTimeline.Capacity + 1));

        Assert.Empty(StartupTimeline.Parse(text));
        Assert.Equal(StartupTimeline.Capacity, StartupTimeline.Parse(string.Join(',', Enumerable.Repeat("0:100", StartupTimeline.Capacity))).Count);
    }

    [Fact]
    public void The_line_names_the_successor_after_the_exec()
    {
        string line = StartupTimeline.Format([
            (StartupPhase.RuntimeUp, 61.4), (StartupPhase.ConfigLoaded, 140), (StartupPhase.ReExec, 205.2), (StartupPhase.RuntimeUp, 262),
            (StartupPhase.WorkersStarted, 300), (StartupPhase.FirstBatchForwarded, 310.6)]);

        Assert.Equal("runtime up 61 ms, config loaded 140 ms, exec 205 ms, successor up 262 ms, workers started 300 ms, first batch forwarded 311 ms", line);
    }

    [Fact]
    public void Phases_are_numbered_from_zero_to_the_last_without_gaps()
    {
        int[] numbers = Enum.GetValues<StartupPhase>().Select(p => (int)p).Order().ToArray();

        Assert.Equal(Enumerable.Range(0, (int)StartupTimeline.LastPhase + 1), numbers);
    }

    [Fact]
    public void The_hand_over_is_phase_numbers_and_nanoseconds_in_the_order_marked()
    {
        string text = StartupTimeline.Encode([(StartupPhase.Checked, 300), (StartupPhase.RuntimeUp, 100), (StartupPhase.ConfigLoaded, 200)]);

        Assert.Equal("2:300,0:100,1:200", text);
        Assert.Equal([(StartupPhase.Checked, 300L), (StartupPhase.RuntimeUp, 100L), (StartupPhase.ConfigLoaded, 200L)], StartupTimeline.Parse(text));
    }

    [Fact]
    public void Every_phase_has_a_name()
    {
        foreach (StartupPhase phase in Enum.GetValues<StartupPhase>())
            Assert.DoesNotContain(phase.ToString(), StartupTimeline.NameOf(phase));
    }
}
