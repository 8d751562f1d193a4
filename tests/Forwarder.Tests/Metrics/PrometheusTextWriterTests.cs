using System.Runtime.Versioning;
using Forwarder.Metrics;

namespace Forwarder.Tests.Metrics;

/// <summary>The exposition writer: HELP and TYPE before samples, escaping, and refusal of what would be invalid.</summary>
[SupportedOSPlatform("linux")]
public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void A_family_is_help_type_then_samples()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x_packets_total", MetricType.Counter, "Packets.");
        writer.Sample(5, new MetricLabel("queue", "0"));
        writer.Sample(7L, new MetricLabel("queue", "1"));
        writer.Family("x_version", MetricType.Gauge, "Version.");
        writer.Sample(3);

        Assert.Equal("""
            # HELP x_packets_total Packets.
            # TYPE x_packets_total counter
            x_packets_total{queue="0"} 5
            x_packets_total{queue="1"} 7
            # HELP x_version Version.
            # TYPE x_version gauge
            x_version 3

            """, writer.ToString());
    }

    [Fact]
    public void Label_values_and_help_are_escaped_and_read_back_as_they_were()
    {
        const string nasty = "a \"quoted\" back\\slash\nand a new line";
        var writer = new PrometheusTextWriter();
        writer.Family("x_info", MetricType.Gauge, "Help with a back\\slash\nand a new line.");
        writer.Sample(1, new MetricLabel("text", nasty));

        string text = writer.ToString();

        Assert.Contains("""x_info{text="a \"quoted\" back\\slash\nand a new line"} 1""", text);
        Assert.Contains("""# HELP x_info Help with a back\\slash\nand a new line.""", text);
        StrictPrometheusParser.Family family = StrictPrometheusParser.Parse(text)["x_info"];
        Assert.Equal(nasty, family.Samples.Single().Labels["text"]);
    }

    [Fact]
    public void Special_values_are_written_as_the_format_spells_them()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x_ratio", MetricType.Gauge, "Ratio.");
        writer.Sample(double.PositiveInfinity, new MetricLabel("v", "a"));
        writer.Sample(double.NegativeInfinity, new MetricLabel("v", "b"));
        writer.Sample(double.NaN, new MetricLabel("v", "c"));
        writer.Sample(0.25, new MetricLabel("v", "d"));
        writer.Sample(ulong.MaxValue, new MetricLabel("v", "e"));

        Assert.Equal(["+Inf", "-Inf", "NaN", "0.25", "18446744073709551615"],
            writer.ToString().Split('\n').Where(l => l.StartsWith("x_ratio", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));
        StrictPrometheusParser.Parse(writer.ToString());
    }

    [Fact]
    public void A_counter_must_end_in_total() =>
        Assert.Throws<ArgumentException>(() => new PrometheusTextWriter().Family("x_packets", MetricType.Counter, "Packets."));

    [Theory]
    [InlineData("9lives")]
    [InlineData("x-y")]
    [InlineData("")]
    public void Bad_metric_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new PrometheusTextWriter().Family(name, MetricType.Gauge, "Bad."));

    [Theory]
    [InlineData("__reserved")]
    [InlineData("9")]
    [InlineData("a-b")]
    public void Bad_label_names_are_refused(string name)
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x", MetricType.Gauge, "X.");
        Assert.Throws<ArgumentException>(() => writer.Sample(1, new MetricLabel(name, "v")));
    }

    [Fact]
    public void A_family_written_twice_is_refused()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x", MetricType.Gauge, "X.");
        Assert.Throws<InvalidOperationException>(() => writer.Family("x", MetricType.Gauge, "X."));
    }

    [Fact]
    public void The_same_series_twice_is_refused_whatever_the_label_order()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x", MetricType.Gauge, "X.");
        writer.Sample(1, new MetricLabel("a", "1"), new MetricLabel("b", "2"));

        Assert.Throws<InvalidOperationException>(() => writer.Sample(2, new MetricLabel("b", "2"), new MetricLabel("a", "1")));
        Assert.Throws<ArgumentException>(() => writer.Sample(2, new MetricLabel("a", "1"), new MetricLabel("a", "3")));
    }

    [Fact]
    public void A_sample_before_any_family_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new PrometheusTextWriter().Sample(1));

    [Fact]
    public void The_product_s_reader_reads_what_the_writer_writes()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("x_total", MetricType.Counter, "X.");
        writer.Sample(12, new MetricLabel("vip", "[fc00::1]:*/any"), new MetricLabel("q", "a\"b\\c"));

        MetricSample sample = Assert.Single(PrometheusTextParser.Parse(writer.ToString()));

        Assert.Equal("x_total", sample.Name);
        Assert.Equal("[fc00::1]:*/any", sample.Label("vip"));
        Assert.Equal("a\"b\\c", sample.Label("q"));
        Assert.Equal(12, sample.Value);
    }
}
