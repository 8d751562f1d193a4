namespace Forwarder.Configuration;

/// <summary>Builds the field paths diagnostics name: <c>vips[1].backends[0].weight</c>.</summary>
internal static class ConfigPath
{
    public static string Member(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";
}
