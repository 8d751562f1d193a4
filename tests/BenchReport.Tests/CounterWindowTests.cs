namespace BenchReport.Tests;

public class CounterWindowTests
{
    [Fact]
    public void Parses_the_sinks_run_line_and_takes_the_rate_from_the_counter_delta()
    {
        CounterWindow w = CounterWindow.Parse("RUN 2 seconds=10.000000 start=1000 end=38001000 mpps=9.999");

        Assert.Equal(2, w.Index);
        Assert.Equal(10.0, w.Seconds);
        Assert.Equal(1000UL, w.Start);
        Assert.Equal(38001000UL, w.End);
        Assert.Equal(38000000UL, w.Packets);
        Assert.Equal(3.8e6, w.Rate, 6); // the printed mpps is not trusted
    }

    [Fact]
    public void Counters_beyond_32_bits_are_kept_exact()
    {
        CounterWindow w = CounterWindow.Parse("RUN 1 seconds=2 start=18446744073000000000 end=18446744073709551615");

        Assert.Equal(709551615UL, w.Packets);
    }

    [Fact]
    public void Field_order_and_extra_fields_do_not_matter()
    {
        CounterWindow w = CounterWindow.Parse("  RUN 1 end=300 note=x start=100 seconds=0.5  ");

        Assert.Equal(200UL, w.Packets);
        Assert.Equal(400.0, w.Rate);
    }

    [Fact]
    public void An_idle_window_has_rate_zero()
    {
        Assert.Equal(0.0, CounterWindow.Parse("RUN 3 seconds=1 start=5 end=5").Rate);
    }

    [Theory]
    [InlineData("RATE mpps=1.0 total=5")]
    [InlineData("RUN x seconds=1 start=0 end=1")]
    [InlineData("RUN 0 seconds=1 start=0 end=1")]
    [InlineData("RUN 1 start=0 end=1")]
    [InlineData("RUN 1 seconds=1 end=1")]
    [InlineData("RUN 1 seconds=1 start=0")]
    [InlineData("RUN 1 seconds=0 start=0 end=1")]
    [InlineData("RUN 1 seconds=-1 start=0 end=1")]
    [InlineData("RUN 1 seconds=abc start=0 end=1")]
    [InlineData("RUN 1 seconds=1 start=-4 end=1")]
    [InlineData("RUN 1 seconds=1 start=0 end=99999999999999999999999")]
    [InlineData("RUN 1 seconds=1 start=10 end=9")]
    [InlineData("")]
    public void Rejects_malformed_lines(string line)
    {
        Assert.Throws<FormatException>(() => CounterWindow.Parse(line));
    }
}
