using System.Runtime.Versioning;
using System.Text;
using Forwarder.Cli;
using Forwarder.Configuration;
using Forwarder.Maglev;

namespace Forwarder.Tests.Configuration;

/// <summary>
/// The tables' memory is bounded (<c>limits.table_memory</c>, 1 GiB by default): a 5 KB file of 50 VIPs
/// with the largest ring size would otherwise ask for gigabytes, at start-up or on any reload.
/// </summary>
[SupportedOSPlatform("linux")]
public class TableMemoryTests
{
    private const int LargestPrimeRing = 16_777_213;

    /// <summary>
    /// <paramref name="count"/> VIPs of one backend each, all with the given ring size, after <paramref name="limits"/>:
    /// each VIP's backend its own unless <paramref name="sameBackend"/>.
    /// </summary>
    private static string Vips(int count, int ringSize, string limits = "", bool sameBackend = false)
    {
        var yaml = new StringBuilder("interface:\n  name: eth0\nrouter_mac: 02:00:00:00:00:01\n").Append(limits).Append("vips:\n");
        for (int i = 0; i < count; i++)
            yaml.Append($"  - address: 10.100.0.{i + 1}\n    maglev: {{ ring_size: {ringSize} }}\n    backends:\n      - address: 10.0.{(sameBackend ? 0 : i)}.1\n");
        return yaml.ToString();
    }

    [Fact]
    public void Fifty_vips_with_the_largest_ring_are_refused_with_the_figure_and_the_limit()
    {
        Assert.True(MaglevRingSize.IsValid(LargestPrimeRing));
        string yaml = Vips(50, LargestPrimeRing);
        Assert.True(yaml.Length < 8_000); // a file of a few kilobytes

        ConfigLoadResult result = ForwarderConfigLoader.Load(yaml);

        ConfigDiagnostic error = TestConfigs.AssertOnlyError(result, "vips", 5, 3, "the tables of these 50 VIP(s) need up to 3.9 GiB");
        long needed = 50 * (TableMemory.BytesPerVip + LargestPrimeRing * TableMemory.BytesPerSlot + TableMemory.BytesPerBackend);
        Assert.Contains($"({needed} bytes)", error.Message);
        Assert.Contains("more than limits.table_memory (1GiB)", error.Message);
    }

    [Fact]
    public void A_configuration_at_the_limit_is_accepted_and_one_above_it_is_refused()
    {
        ForwarderConfig twelve = TestConfigs.LoadValid(Vips(12, LargestPrimeRing)); // twelve of the largest tables fit in 1 GiB
        Assert.True(TableMemory.Estimate(twelve) <= LimitsConfig.DefaultTableMemory);
        Assert.False(ForwarderConfigLoader.Load(Vips(13, LargestPrimeRing)).IsValid);
    }

    [Fact]
    public void The_limit_is_set_in_the_file()
    {
        ForwarderConfig config = TestConfigs.LoadValid(Vips(50, LargestPrimeRing, "limits:\n  table_memory: 8GiB\n"));
        Assert.Equal(8L << 30, config.Limits.TableMemory);

        ConfigLoadResult lowered = ForwarderConfigLoader.Load(Vips(4, MaglevRingSize.Default, "limits: { table_memory: 1MiB }\n"));
        Assert.Contains("more than limits.table_memory (1MiB)", Assert.Single(lowered.Errors).Message);
    }

    [Theory]
    [InlineData("1073741824", 1L << 30)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("2 GiB", 2L << 30)]
    [InlineData("\"3GiB\"", 3L << 30)]
    [InlineData("1TiB", 1L << 40)]
    public void Table_memory_takes_bytes_or_binary_units(string value, long expected) =>
        Assert.Equal(expected, TestConfigs.LoadValid(Vips(1, MaglevRingSize.Default, $"limits:\n  table_memory: {value}\n")).Limits.TableMemory);

    [Theory]
    [InlineData("2GB", "expected a size from 1MiB to 1TiB")]
    [InlineData("-1", "expected a size from 1MiB to 1TiB")]
    [InlineData("512KiB", "512KiB is out of range")]
    [InlineData("2TiB", "2TiB is out of range")]
    [InlineData("99999999999999999999", "expected a size")]
    public void A_bad_table_memory_is_refused(string value, string message) =>
        TestConfigs.AssertOnlyError(ForwarderConfigLoader.Load(Vips(1, MaglevRingSize.Default, $"limits:\n  table_memory: {value}\n")),
            "limits.table_memory", 5, 17, message);

    [Fact]
    public void The_estimate_is_slots_times_bytes_per_slot_plus_backends_and_vips()
    {
        ForwarderConfig config = TestConfigs.LoadValid(Vips(3, MaglevRingSize.Default));
        Assert.Equal(3 * (TableMemory.BytesPerVip + MaglevRingSize.Default * TableMemory.BytesPerSlot + TableMemory.BytesPerBackend), TableMemory.Estimate(config));
    }

    [Fact]
    public void Vips_that_share_one_table_count_it_once()
    {
        ForwarderConfig shared = TestConfigs.LoadValid(Vips(50, LargestPrimeRing, sameBackend: true));

        Assert.Equal(50 * (TableMemory.BytesPerVip + TableMemory.BytesPerBackend) + LargestPrimeRing * TableMemory.BytesPerSlot, TableMemory.Estimate(shared));
    }

    [Fact]
    public void A_different_backend_weight_ring_or_version_is_a_table_of_its_own()
    {
        const string head = "interface:\n  name: eth0\nrouter_mac: 02:00:00:00:00:01\nvips:\n";
        string Vip(int n, string backend, string maglev = "{ ring_size: 65537 }") =>
            $"  - address: 10.100.0.{n}\n    maglev: {maglev}\n    backends:\n      - {backend}\n";
        ForwarderConfig config = TestConfigs.LoadValid(head
            + Vip(1, "{ address: 10.0.0.1 }")
            + Vip(2, "{ address: 10.0.0.1 }") // shares VIP 1's table
            + Vip(3, "{ address: 10.0.0.2 }")
            + Vip(4, "{ address: 10.0.0.1, weight: 2 }")
            + Vip(5, "{ address: 10.0.0.1 }", "{ ring_size: 65537, version: v1 }")
            + Vip(6, "{ address: 10.0.0.1 }", "{ ring_size: 1009 }"));

        Assert.Equal(6 * (TableMemory.BytesPerVip + TableMemory.BytesPerBackend) + (4 * 65537L + 1009) * TableMemory.BytesPerSlot, TableMemory.Estimate(config));
    }

    [Fact]
    public void The_limit_is_written_back_and_read_again()
    {
        ForwarderConfig config = TestConfigs.LoadValid(Vips(1, MaglevRingSize.Default, "limits: { table_memory: 1536MiB }\n"));
        string written = ForwarderConfigWriter.Write(config);
        Assert.Contains("  table_memory: 1536MiB\n", written);
        Assert.Equal(config, TestConfigs.LoadValid(written));
    }

    [Fact]
    public void Check_prints_the_tables_memory_and_the_limit()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Vips(2, MaglevRingSize.Default));
            var output = new StringWriter();
            Assert.Equal(0, CheckCommand.Check(path, againstThisMachine: false, output, new StringWriter()));
            Assert.Contains("  tables: up to 650 KiB of the 1GiB limits.table_memory allows\n", output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Check_refuses_a_configuration_above_the_limit_with_exit_code_1()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Vips(50, LargestPrimeRing));
            var errors = new StringWriter();
            Assert.Equal(1, CheckCommand.Check(path, againstThisMachine: false, new StringWriter(), errors));
            Assert.Contains("need up to 3.9 GiB", errors.ToString());
            Assert.Contains("more than limits.table_memory (1GiB)", errors.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
