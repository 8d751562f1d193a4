using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Dependencies;
using ArchUnitNET.Loader;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;

namespace Forwarder.Tests.Architecture;

/// <summary>
/// The forwarder's namespaces form layers, lowest first; a namespace uses only its own layer and those below,
/// and no two namespaces use each other, even through others. The data path is an assembly of its own that
/// references nothing of the application. Read from the compiled assemblies (every type a type's fields,
/// signatures and method bodies name), not from <c>using</c> lines.
/// </summary>
public sealed class LayerTests
{
    /// <summary>The data path: what the workers run per packet. It uses AfXdp and the runtime, nothing of the forwarder above it.</summary>
    private static readonly string[] DataPath = ["Packets", "Hashing", "Maglev", "FlowTable", "Rewrite", "DataPlane"];

    private static readonly string[][] Layers =
    [
        DataPath,
        ["Interop"], // the forwarder's own libc calls: they use nothing of the forwarder
        ["Configuration"],
        ["Steering", "HostAddresses", "Health", "Metrics", "ControlPlane", "Replay", "Decap", "Capture", "Announce", "Liveness"],
        ["Hosting", "Api"],
        ["Cli"],
    ];

    /// <summary>The application: <c>forwarder</c>.</summary>
    private static readonly System.Reflection.Assembly Application = typeof(ForwarderRuntime).Assembly;

    /// <summary>The data path's assembly: <c>Forwarder.DataPath</c>.</summary>
    private static readonly System.Reflection.Assembly DataPathAssembly = typeof(LoadBalancer).Assembly;

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Loaded =
        new(() => new ArchLoader().LoadAssemblies(Application, DataPathAssembly).Build());

    /// <summary>(using namespace, used namespace) → one example, e.g. <c>Forwarder.DataPlane.LoadBalancer → Forwarder.Packets.PacketBatch</c>.</summary>
    private static readonly Lazy<Dictionary<(string From, string To), string>> Uses = new(() => ReadUses(SliceOf));

    /// <summary>The same, between whole namespaces: <c>Forwarder.Hosting</c> and <c>Forwarder.Hosting.Privileges</c> apart.</summary>
    private static readonly Lazy<Dictionary<(string From, string To), string>> NamespaceUses = new(() => ReadUses(NamespaceOf));

    [Fact]
    public void No_namespaces_use_each_other() => AssertNoCycle(Uses.Value);

    /// <summary>Inside a layer's namespace too: a sub-namespace (e.g. <c>Hosting.Privileges</c>) and its parent do not use each other.</summary>
    [Fact]
    public void No_sub_namespaces_use_each_other() => AssertNoCycle(NamespaceUses.Value);

    private static void AssertNoCycle(Dictionary<(string From, string To), string> uses)
    {
        string[] cycles = Cycles(uses).Select(cycle => string.Join(" ⇄ ", cycle) + ":\n  " +
                string.Join("\n  ", uses.Where(use => cycle.Contains(use.Key.From) && cycle.Contains(use.Key.To)).Select(use => use.Value).Order()))
            .ToArray();

        Assert.True(cycles.Length == 0, "namespaces that use each other (through the uses listed):\n" + string.Join('\n', cycles));
    }

    [Fact]
    public void The_data_path_uses_nothing_of_the_forwarder_above_it()
    {
        string[] upward = Uses.Value
            .Where(use => DataPath.Contains(use.Key.From) && !DataPath.Contains(use.Key.To))
            .Select(use => use.Value)
            .Order()
            .ToArray();

        Assert.True(upward.Length == 0, "the data path uses the forwarder above it:\n" + string.Join('\n', upward));
    }

    [Fact]
    public void Each_layer_uses_only_itself_and_the_layers_below()
    {
        string[] upward = Uses.Value
            .Where(use => LayerOf(use.Key.To) > LayerOf(use.Key.From))
            .Select(use => $"{use.Value} (layer {LayerOf(use.Key.From)} uses layer {LayerOf(use.Key.To)})")
            .Order()
            .ToArray();

        Assert.True(upward.Length == 0, "uses of a higher layer:\n" + string.Join('\n', upward));
    }

    [Fact]
    public void The_data_path_assembly_references_nothing_of_the_application()
    {
        Assert.NotEqual(Application, DataPathAssembly);
        Assert.DoesNotContain(DataPathAssembly.GetReferencedAssemblies(), name => name.Name == Application.GetName().Name);
    }

    [Fact]
    public void The_data_path_assembly_holds_the_data_path_and_the_application_none_of_it()
    {
        string?[] inDataPath = DataPathAssembly.GetTypes().Select(type => SliceOf(type.Namespace)).Where(slice => slice is not null).Distinct().ToArray();
        string?[] inApplication = Application.GetTypes().Select(type => SliceOf(type.Namespace)).Where(slice => slice is not null).Distinct().ToArray();

        Assert.Equal(DataPath.Order(), inDataPath.Order());
        Assert.Empty(inApplication.Intersect(DataPath));
    }

    [Fact]
    public void Every_namespace_has_its_layer()
    {
        string[] unplaced = Application.GetTypes().Concat(DataPathAssembly.GetTypes())
            .Select(type => SliceOf(type.Namespace))
            .OfType<string>()
            .Distinct()
            .Where(slice => Array.FindIndex(Layers, layer => layer.Contains(slice)) < 0)
            .Order()
            .ToArray();

        Assert.True(unplaced.Length == 0, "namespaces without a layer (add them to Layers): " + string.Join(", ", unplaced));
    }

    private static Dictionary<(string From, string To), string> ReadUses(Func<string?, string?> groupOf)
    {
        var uses = new Dictionary<(string, string), string>();
        foreach (IType type in Loaded.Value.Types)
        {
            if (groupOf(type.Namespace?.FullName) is not { } from)
                continue;
            foreach (ITypeDependency dependency in type.Dependencies)
            {
                if (dependency.Target is { } target && groupOf(target.Namespace?.FullName) is { } to && to != from)
                    uses.TryAdd((from, to), $"{type.FullName} → {target.FullName}");
            }
        }
        return uses;
    }

    /// <summary>The strongly connected sets of more than one namespace (Tarjan), each sorted.</summary>
    private static List<string[]> Cycles(Dictionary<(string From, string To), string> uses)
    {
        ILookup<string, string> next = uses.Keys.ToLookup(use => use.From, use => use.To);
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<string[]>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (string w in next[v])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (stack.Contains(w))
                    low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                component.Add(member);
            }
            while (member != v);
            if (component.Count > 1)
                cycles.Add([.. component.Order()]);
        }
        foreach (string slice in uses.Keys.Select(use => use.From).Distinct().Order())
        {
            if (!index.ContainsKey(slice))
                Visit(slice);
        }
        return cycles;
    }

    /// <summary>The forwarder namespace a namespace belongs to: <c>Hosting</c> for <c>Forwarder.Hosting.Privileges</c>; null outside the forwarder's.</summary>
    private static string? SliceOf(string? ns)
    {
        const string Root = "Forwarder.";
        if (ns is null || !ns.StartsWith(Root, StringComparison.Ordinal))
            return null;
        string rest = ns[Root.Length..];
        int dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>A forwarder namespace without its root: <c>Hosting.Privileges</c>; null outside the forwarder's.</summary>
    private static string? NamespaceOf(string? ns)
    {
        const string Root = "Forwarder.";
        return ns is not null && ns.StartsWith(Root, StringComparison.Ordinal) ? ns[Root.Length..] : null;
    }

    /// <summary>Unplaced namespaces count as the top layer here; <see cref="Every_namespace_has_its_layer"/> names them.</summary>
    private static int LayerOf(string slice)
    {
        int layer = Array.FindIndex(Layers, l => l.Contains(slice));
        return layer < 0 ? Layers.Length : layer + 1;
    }
}
