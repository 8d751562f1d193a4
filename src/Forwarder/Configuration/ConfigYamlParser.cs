using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Forwarder.Configuration;

/// <summary>
/// Turns YAML text into <see cref="ConfigNode"/>s that keep their line and column. Anchors and aliases
/// work (an alias shares its anchor's node) and so do merge keys (<c>&lt;&lt;: *defaults</c>); repeated
/// keys are kept for the reader to report. Syntax errors stop the parse: YAML cannot be read past them.
///
/// Reading recurses once per level of nesting, so the depth is bounded before the recursion gets deep:
/// a file nested thousands of levels deep would otherwise overflow the stack, which .NET cannot catch —
/// it would end the process, a running forwarder included when such a file is reloaded. The bound
/// holds for the tree with aliases expanded too (<see cref="ConfigNode.Height"/>), so no later walk
/// over the nodes can go deeper either.
/// </summary>
internal sealed class ConfigYamlParser
{
    /// <summary>Limit on nodes after alias expansion, so that a file of nested aliases cannot make reading explode.</summary>
    public const long MaxExpandedNodes = 1_000_000;

    /// <summary>Deepest nesting read: the schema needs a handful of levels (vips, a VIP, its backends, a backend...).</summary>
    public const int MaxDepth = 64;

    private const string MergeKey = "<<";

    private readonly IParser _parser;
    private readonly string _text;
    private readonly ConfigDiagnostics _diagnostics;
    private readonly Dictionary<string, ConfigNode> _anchors = new(StringComparer.Ordinal);

    /// <summary>Where the last node read starts: the best position for errors the scanner reports without one.</summary>
    private Mark _lastGood = Mark.Empty;

    private ConfigYamlParser(string text, ConfigDiagnostics diagnostics)
    {
        _parser = new Parser(new StringReader(text));
        _text = text;
        _diagnostics = diagnostics;
    }

    /// <summary>The document's root node, or <c>null</c> after reporting why there is none.</summary>
    public static ConfigNode? Parse(string text, ConfigDiagnostics diagnostics) => new ConfigYamlParser(text, diagnostics).ParseStream();

    private ConfigNode? ParseStream()
    {
        try
        {
            _parser.Consume<StreamStart>();
            if (_parser.Accept<StreamEnd>(out _))
            {
                _diagnostics.Error("", 0, 0, "the file is empty (or holds only comments)");
                return null;
            }
            _parser.Consume<DocumentStart>();
            ConfigNode root = ReadNode(depth: 1);
            _parser.Consume<DocumentEnd>();
            if (!_parser.Accept<StreamEnd>(out _))
            {
                Mark next = _parser.Current!.Start;
                _diagnostics.Error("", (int)next.Line, (int)next.Column, "the file holds more than one YAML document ('---'); give one");
                return null;
            }
            return root;
        }
        catch (NestingTooDeepException e)
        {
            _diagnostics.Error("", (int)e.Start.Line, (int)e.Start.Column, e.Message);
            return null;
        }
        catch (YamlException e)
        {
            _diagnostics.Error("", (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {e.Message}{YamlErrorHint.For(e, _text)}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // The scanner gives up on some malformed flow collections without saying where.
            _diagnostics.Error("", (int)_lastGood.Line, (int)_lastGood.Column,
                "not valid YAML near here; check brackets, quotes and indentation");
            return null;
        }
    }

    /// <param name="depth">This node's level: 1 for the document's root.</param>
    private ConfigNode ReadNode(int depth)
    {
        ParsingEvent current = _parser.Current ?? throw new YamlException("unexpected end of the file");
        Mark start = current.Start;
        _lastGood = start;
        if (depth > MaxDepth)
            throw new NestingTooDeepException(start, $"nesting deeper than {MaxDepth} levels; a configuration needs only a few");
        ConfigNode node;
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out ConfigNode? target))
                    throw new YamlException(start, start, $"the alias '*{alias.Value}' names no anchor defined before it");
                if (depth - 1 + target.Height > MaxDepth)
                    throw new NestingTooDeepException(start, $"the alias '*{alias.Value}' nests its anchor deeper than {MaxDepth} levels; a configuration needs only a few");
                return target;
            case Scalar scalar:
                _parser.MoveNext();
                node = new ConfigScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, (int)start.Line, (int)start.Column);
                break;
            case SequenceStart:
                _parser.MoveNext();
                var items = new List<ConfigNode>();
                while (!_parser.TryConsume<SequenceEnd>(out _))
                    items.Add(ReadNode(depth + 1));
                node = new ConfigSequence(items, (int)start.Line, (int)start.Column);
                break;
            case MappingStart:
                _parser.MoveNext();
                node = ReadMapping(start, depth);
                break;
            default:
                throw new YamlException(start, current.End, $"unexpected {current.GetType().Name}");
        }

        if (node.ExpandedSize > MaxExpandedNodes)
            throw new YamlException(start, start, $"the aliases expand to more than {MaxExpandedNodes} nodes");
        if (current is NodeEvent { Anchor.IsEmpty: false } withAnchor)
            _anchors[withAnchor.Anchor.Value] = node;
        return node;
    }

    private ConfigMapping ReadMapping(Mark start, int depth)
    {
        var entries = new List<ConfigMappingEntry>();
        var merged = new List<ConfigMappingEntry>();
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            ConfigNode key = ReadNode(depth + 1);
            ConfigNode value = ReadNode(depth + 1);
            if (key is not ConfigScalar scalarKey || scalarKey.IsNull)
            {
                _diagnostics.Error("", key.Line, key.Column, $"a key must be a name, not {key.Kind}");
                continue;
            }
            if (scalarKey.IsPlain && scalarKey.Value == MergeKey)
                CollectMerged(value, merged);
            else
                entries.Add(new ConfigMappingEntry(scalarKey, value));
        }

        // Explicit keys win over merged ones; among merged mappings the first to name a key wins.
        var present = new HashSet<string>(entries.Select(e => e.Key.Value), StringComparer.Ordinal);
        foreach (ConfigMappingEntry entry in merged)
        {
            if (present.Add(entry.Key.Value))
                entries.Add(entry);
        }
        return new ConfigMapping(entries, (int)start.Line, (int)start.Column);
    }

    private void CollectMerged(ConfigNode value, List<ConfigMappingEntry> merged)
    {
        IEnumerable<ConfigNode> sources = value is ConfigSequence sequence ? sequence.Items : [value];
        foreach (ConfigNode source in sources)
        {
            if (source is ConfigMapping mapping)
                merged.AddRange(mapping.Entries);
            else
                _diagnostics.Error("", source.Line, source.Column, $"a merge key '<<' takes a mapping or a list of mappings, not {source.Kind}");
        }
    }

    /// <summary>Nesting beyond <see cref="MaxDepth"/>: reported as it is, not as a syntax error.</summary>
    private sealed class NestingTooDeepException(Mark at, string message) : YamlException(at, at, message);
}
