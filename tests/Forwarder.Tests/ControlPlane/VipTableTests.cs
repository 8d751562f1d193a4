using System.Runtime.Versioning;
using Forwarder.Cli;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Tests.ControlPlane;

[SupportedOSPlatform("linux")]
public class VipTableTests
{
    private static string Config(params string[] backends) => ConfigBuilder.WithoutVips()
        .Interface("eth0", queues: [0])
        .Vip("10.100.0.1", 80, "tcp", v => v.Backends(backends))
        .ToYaml();

    private static VipTable TableOf(string yaml)
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return VipTable.Build(result.Config!.Vips[0]);
    }

    [Fact]
    public void Digest_does_not_depend_on_the_order_backends_are_listed_in()
    {
        VipTable a = TableOf(Config("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"));
        VipTable b = TableOf(Config("10.0.0.4", "10.0.0.2", "10.0.0.1", "10.0.0.3"));
        Assert.Equal(a.Digest, b.Digest);
        Assert.NotEqual("none", a.Digest);
    }

    [Fact]
    public void Nat_backends_on_one_address_are_numbered_by_port_whatever_the_order_they_are_listed_in()
    {
        string Nat(params ushort[] ports) => ConfigBuilder.WithoutVips()
            .Interface("eth0", queues: [0])
            .Vip("10.100.0.1", 80, "tcp", v =>
            {
                v.Mode("nat");
                foreach (ushort port in ports)
                    v.Backend("10.0.0.1", port: port);
                v.Backend("10.0.0.2");
            })
            .ToYaml();
        VipTable a = TableOf(Nat(8081, 8080, 8082));
        VipTable b = TableOf(Nat(8082, 8080, 8081));

        Assert.Equal(["10.0.0.1:8080", "10.0.0.1:8081", "10.0.0.1:8082", "10.0.0.2"], a.Backends.Select(x => x.Id.ToString()));
        Assert.Equal(a.Backends, b.Backends);
        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(4, a.Table!.Slots.ToArray().Distinct().Count());
    }

    [Fact]
    public void Digest_changes_when_the_backends_change()
    {
        VipTable a = TableOf(Config("10.0.0.1", "10.0.0.2", "10.0.0.3"));
        VipTable b = TableOf(Config("10.0.0.1", "10.0.0.2", "10.0.0.5"));
        Assert.NotEqual(a.Digest, b.Digest);
    }

    [Fact]
    public void Slots_name_backends_in_address_order()
    {
        VipTable table = TableOf(Config("10.0.0.3", "10.0.0.1", "10.0.0.2"));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], table.Backends.Select(b => b.Address.ToString()));
        // DESIGN.md reference: reals 10.0.0.1–3 numbered 1–3, V2, ring[0..11] = 2,1,3,2,1,3,3,1,1,2,1,2 (ids here are 0-based).
        int[] expected = [2, 1, 3, 2, 1, 3, 3, 1, 1, 2, 1, 2];
        Assert.Equal(expected.Select(id => id - 1), table.Table!.Slots[..12].ToArray());
    }

    [Fact]
    public void Check_refuses_an_invalid_file_naming_field_and_line()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Config("10.0.0.300"));
            var output = new StringWriter();
            var errors = new StringWriter();
            Assert.Equal(1, CheckCommand.Check(path, againstThisMachine: false, output, errors));
            Assert.Contains("vips[0].backends[0].address (line 10", errors.ToString());
            Assert.Equal("", output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Check_accepts_the_shipped_example_and_prints_a_digest_per_vip()
    {
        string example = Repository.File("docs", "forwarder.example.yaml");
        var output = new StringWriter();
        Assert.Equal(0, CheckCommand.Check(example, againstThisMachine: false, output, new StringWriter()));
        Assert.Equal(7, output.ToString().Split('\n').Count(l => l.Contains("digest ")));
    }
}
