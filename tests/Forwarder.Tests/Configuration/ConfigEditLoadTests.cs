using System.Net;
using System.Runtime.Versioning;
using Forwarder.Api;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.Configuration;

/// <summary>
/// An API edit is validated as the file written from it would be, but only the VIPs it changed are read again
/// (<see cref="ForwarderConfigLoader.LoadEdit"/>): every verdict, configuration, error and warning must be the
/// full load's, positions in the text aside.
/// </summary>
[SupportedOSPlatform("linux")]
public class ConfigEditLoadTests
{
    private static readonly string Config = ConfigBuilder.WithoutVips()
        .Gue(sourceV4: "10.99.0.2")
        .Vip("10.100.0.1", 80, "tcp", v => v.Backends("10.0.0.1", "10.0.0.2"))
        .Vip("10.100.0.2", 53, "udp", v => v.Mode("nat").Backend("10.0.1.1", port: 5353).Backend("10.0.1.2", port: 5353))
        .Vip("10.100.0.3", 443, "tcp", v => v.Mode("gue").Backends("10.0.2.1"))
        .Vip("10.100.0.4", 0, "any", v => v.NoBackends())
        .ToYaml();

    private static readonly string[] EditNames =
    [
        "weight", "drain", "add backend", "remove backend", "remove the last backend", "add a backend to the empty VIP",
        "nat backend taken by another VIP", "duplicate backend address in ipip", "ipv6 backend in an ipv4 gue VIP",
        "add VIP", "remove VIP", "two VIPs changed",
    ];

    public static TheoryData<string> Edits => new(EditNames);

    [Theory]
    [MemberData(nameof(Edits))]
    public void An_edit_is_judged_as_the_full_file_would_be(string edit)
    {
        ForwarderConfig current = TestConfigs.LoadValid(Config);
        ForwarderConfig edited = Apply(current, edit);

        ConfigLoadResult quick = ForwarderConfigLoader.LoadEdit(current, edited);
        ConfigLoadResult full = ForwarderConfigLoader.Load(ForwarderConfigWriter.Write(edited));

        Assert.Equal(full.IsValid, quick.IsValid);
        Assert.Equal(full.Config, quick.Config);
        Assert.Equal(Unplaced(full.Errors), Unplaced(quick.Errors));
        Assert.Equal(Unplaced(full.Warnings), Unplaced(quick.Warnings));
    }

    [Fact]
    public void Edits_in_a_row_keep_being_judged_as_the_full_file()
    {
        ForwarderConfig current = TestConfigs.LoadValid(Config);
        var random = new Random(7);
        for (int round = 0; round < 40; round++)
        {
            ForwarderConfig edited = Apply(current, EditNames[random.Next(EditNames.Length)]);
            ConfigLoadResult quick = ForwarderConfigLoader.LoadEdit(current, edited);
            ConfigLoadResult full = ForwarderConfigLoader.Load(ForwarderConfigWriter.Write(edited));
            Assert.Equal(full.Config, quick.Config);
            Assert.Equal(Unplaced(full.Errors), Unplaced(quick.Errors));
            Assert.Equal(Unplaced(full.Warnings), Unplaced(quick.Warnings));
            if (quick.IsValid)
                current = quick.Config; // the next edit builds on what the last one gave, readings and all
        }
    }

    [Fact]
    public void A_change_across_vips_is_caught_when_only_one_vip_is_read_again()
    {
        ForwarderConfig current = TestConfigs.LoadValid(Config);
        ForwarderConfig edited = Apply(current, "nat backend taken by another VIP");

        ConfigLoadResult quick = ForwarderConfigLoader.LoadEdit(current, edited);

        Assert.False(quick.IsValid);
        Assert.Contains("nat backend 10.0.1.1 port 5353 udp also serves vips[0]", Assert.Single(quick.Errors).Message);
    }

    private static ForwarderConfig Apply(ForwarderConfig config, string edit)
    {
        VipIdentity web = VipIdentity.Of(config.Vips[0]), dns = VipIdentity.Of(config.Vips[1]), gue = VipIdentity.Of(config.Vips[2]);
        VipIdentity any = VipIdentity.Of(config.Vips[3]);
        BackendConfig Backend(string address, ushort? port = null) => new() { Address = IPAddress.Parse(address), Port = port };
        return edit switch
        {
            "weight" => ConfigEdits.SetWeight(config, web, config.Vips[0].Backends[0].Id, (config.Vips[0].Backends[0].Weight % 5) + 2),
            "drain" => ConfigEdits.SetWeight(config, dns, config.Vips[1].Backends[0].Id, 0),
            "add backend" => config.Vips[0].Backends.Any(b => b.Address.Equals(IPAddress.Parse("10.0.0.9")))
                ? config : ConfigEdits.AddBackend(config, web, Backend("10.0.0.9")),
            "remove backend" => config.Vips[0].Backends.Count > 1 ? ConfigEdits.RemoveBackend(config, web, config.Vips[0].Backends[^1].Id) : config,
            "remove the last backend" => config.Vips[2].Backends.Count > 0 ? ConfigEdits.RemoveBackend(config, gue, config.Vips[2].Backends[0].Id) : config,
            "add a backend to the empty VIP" => config.Vips[3].Backends.Count == 0 ? ConfigEdits.AddBackend(config, any, Backend("10.0.3.1")) : config,
            "nat backend taken by another VIP" => Replace(config, 0, config.Vips[0] with
            {
                Mode = ForwardingMode.Nat,
                Port = 53,
                Protocol = VipProtocol.Udp,
                Backends = [Backend("10.0.1.1", 5353)],
            }),
            "duplicate backend address in ipip" => Replace(config, 0, config.Vips[0] with
            {
                Backends = config.Vips[0].Backends.Append(config.Vips[0].Backends[0] with { Weight = 3 }).ToEquatableArray(),
            }),
            "ipv6 backend in an ipv4 gue VIP" => Replace(config, 2, config.Vips[2] with
            {
                Backends = config.Vips[2].Backends.Append(Backend("fc00::1")).ToEquatableArray(),
            }),
            "add VIP" => config.Vips.Count < 6
                ? ConfigEdits.AddVip(config, config.Vips[0] with { Address = IPAddress.Parse($"10.100.1.{config.Vips.Count}") })
                : config,
            "remove VIP" => config.Vips.Count > 4 ? ConfigEdits.RemoveVip(config, VipIdentity.Of(config.Vips[^1])) : config,
            "two VIPs changed" => ConfigEdits.SetWeight(
                ConfigEdits.SetWeight(config, web, config.Vips[0].Backends[0].Id, 9), dns, config.Vips[1].Backends[1].Id, 4),
            _ => throw new ArgumentOutOfRangeException(nameof(edit)),
        };
    }

    private static ForwarderConfig Replace(ForwarderConfig config, int index, VipConfig vip) =>
        config with { Vips = config.Vips.Select((v, i) => i == index ? vip : v).ToEquatableArray() };

    /// <summary>
    /// Diagnostics without their positions (line and column, and "(line N)" inside messages): the quick check names the
    /// same problems, at positions of other texts.
    /// </summary>
    private static string[] Unplaced(IEnumerable<ConfigDiagnostic> diagnostics) =>
        diagnostics.Select(d => System.Text.RegularExpressions.Regex.Replace($"{d.Path}: {d.Message}", @"\(line \d+\)", "(line N)"))
            .Order(StringComparer.Ordinal).ToArray();
}
