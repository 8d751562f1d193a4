using AfXdp;

namespace Forwarder.Configuration;

/// <summary>
/// Reads the <c>interface</c> section. Queues and cores follow the command line's rules
/// (<see cref="Hosting.QueueAssignment"/>): at least one queue, one core per queue, no number twice.
/// </summary>
internal static class InterfaceReader
{
    public static InterfaceConfig? Read(ConfigNode node, string path, ConfigDiagnostics diagnostics, IReadOnlyCollection<int>? availableCpus)
    {
        if (ConfigValues.Mapping(node, path, diagnostics) is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        string? name = null;
        if (reader.Required("name", "the interface name, e.g. eth0") is { } nameNode)
            name = ReadName(nameNode, reader.Member("name"), diagnostics);

        EquatableArray<int>? queues = [0];
        ConfigNode? queuesNode = reader.Optional("queues");
        if (queuesNode is not null)
            queues = ReadNumbers(queuesNode, reader.Member("queues"), diagnostics, "queue", "a list of RX queue numbers, e.g. [0, 1]");

        EquatableArray<int>? cores = queues;
        ConfigNode? coresNode = reader.Optional("cores");
        if (coresNode is not null)
        {
            cores = ReadNumbers(coresNode, reader.Member("cores"), diagnostics, "CPU", "a list of CPU numbers, one per queue, e.g. [2, 3]");
            if (cores is { } c && queues is { } q && c.Count != q.Count)
            {
                diagnostics.Error(reader.Member("cores"), coresNode, $"lists {c.Count} CPU(s) for {q.Count} queue(s); give one CPU per queue, in the order of queues");
                cores = null;
            }
        }
        if (cores is { } pinned && availableCpus is not null)
        {
            // Without a cores list the workers run on the CPUs numbered like the queues.
            (ConfigNode at, string atPath) = coresNode is not null ? (coresNode, reader.Member("cores"))
                : queuesNode is not null ? (queuesNode, reader.Member("queues"))
                : (mapping, reader.Member("cores"));
            CheckAvailable(pinned, at, atPath, availableCpus, diagnostics);
        }

        XdpMode? xdpMode = XdpMode.Native;
        if (reader.Optional("xdp_mode") is { } modeNode)
            xdpMode = ConfigValues.Choice(modeNode, reader.Member("xdp_mode"), diagnostics, ConfigNames.XdpModes);

        int? mtu = null;
        if (reader.Optional("mtu") is { } mtuNode)
            mtu = (int?)ConfigValues.Integer(mtuNode, reader.Member("mtu"), diagnostics, ForwarderConfig.MinMtu, ForwarderConfig.MaxMtu);

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount != errorsBefore)
            return null;
        return new InterfaceConfig { Name = name!, Queues = queues!.Value, Cores = cores!.Value, XdpMode = xdpMode!.Value, Mtu = mtu };
    }

    private static string? ReadName(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        string? name = ConfigValues.Text(node, path, diagnostics, "the interface name, e.g. eth0");
        if (name is null)
            return null;
        if (name.Length == 0 || name.Length > InterfaceConfig.MaxNameLength || name is "." or ".." || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
        {
            diagnostics.Error(path, node, $"'{name}' is not a Linux interface name (1 to {InterfaceConfig.MaxNameLength} characters, no '/', ':' or spaces), e.g. eth0");
            return null;
        }
        return name;
    }

    private static EquatableArray<int>? ReadNumbers(ConfigNode node, string path, ConfigDiagnostics diagnostics, string noun, string expected)
    {
        if (ConfigValues.Sequence(node, path, diagnostics, expected) is not { } sequence)
            return null;
        if (sequence.Items.Count == 0)
        {
            diagnostics.Error(path, node, $"the list is empty; give {expected}");
            return null;
        }
        int errorsBefore = diagnostics.ErrorCount;
        var numbers = new List<int>(sequence.Items.Count);
        var firstIndex = new Dictionary<int, int>();
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            string itemPath = ConfigPath.Item(path, i);
            if (ConfigValues.Integer(sequence.Items[i], itemPath, diagnostics, 0, InterfaceConfig.MaxQueueOrCore) is not { } value)
                continue;
            if (firstIndex.TryGetValue((int)value, out int first))
                diagnostics.Error(itemPath, sequence.Items[i], $"{noun} {value} is listed twice (also {ConfigPath.Item(path, first)}); each worker needs a {noun} of its own");
            else
                firstIndex.Add((int)value, i);
            numbers.Add((int)value);
        }
        return diagnostics.ErrorCount == errorsBefore ? numbers.ToEquatableArray() : null;
    }

    private static void CheckAvailable(EquatableArray<int> cores, ConfigNode node, string path, IReadOnlyCollection<int> availableCpus, ConfigDiagnostics diagnostics)
    {
        IReadOnlyList<ConfigNode>? items = (node as ConfigSequence)?.Items;
        for (int i = 0; i < cores.Count; i++)
        {
            if (!availableCpus.Contains(cores[i]))
            {
                diagnostics.Error(items is null ? path : ConfigPath.Item(path, i), items?[i] ?? node,
                    $"CPU {cores[i]} is not available to this process (available: {string.Join(',', availableCpus.Order())})");
            }
        }
    }
}
