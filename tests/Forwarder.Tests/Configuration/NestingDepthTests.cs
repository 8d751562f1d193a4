using System.Runtime.Versioning;
using System.Text;
using Forwarder.Cli;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>
/// Nesting is bounded before the reader recurses deep: a file nested thousands of levels deep would
/// overflow the stack, which ends the process (no handler can catch it) — these tests then take the
/// test host down with them, which fails them too.
/// </summary>
[SupportedOSPlatform("linux")]
public class NestingDepthTests
{
    private const int HostileDepth = 20_000;

    public static TheoryData<string, string> DeepFiles => new()
    {
        { "flow lists", new string('[', HostileDepth) + new string(']', HostileDepth) + "\n" },
        { "flow mappings", string.Concat(Enumerable.Repeat("{a: ", HostileDepth)) + "1" + new string('}', HostileDepth) + "\n" },
        { "block lists", string.Concat(Enumerable.Repeat("- ", HostileDepth)) + "x\n" },
    };

    [Theory]
    [MemberData(nameof(DeepFiles))]
    public void A_file_nested_20000_levels_deep_is_refused_at_the_line_where_it_passes_the_bound(string shape, string yaml)
    {
        ConfigLoadResult result = OnSmallStack(() => ForwarderConfigLoader.Load(yaml));

        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.True(error.Message.StartsWith($"nesting deeper than {ConfigYamlParser.MaxDepth} levels", StringComparison.Ordinal), $"{shape}: {error}");
        Assert.Equal(1, error.Line);
        Assert.True(error.Column > ConfigYamlParser.MaxDepth, $"{shape}: {error}");
    }

    [Fact]
    public void Check_refuses_a_40_KB_file_of_20000_levels_with_a_clear_error_and_exit_code_1()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, string.Concat(Enumerable.Repeat("{a: ", HostileDepth)) + "1" + new string('}', HostileDepth) + "\n");
            var output = new StringWriter();
            var errors = new StringWriter();

            int exitCode = OnSmallStack(() => CheckCommand.Check(path, againstThisMachine: false, output, errors));

            Assert.Equal(1, exitCode);
            // The key of the 64th mapping (col 254) is the 65th level.
            Assert.Contains($"{path}: line 1, col 254: nesting deeper than {ConfigYamlParser.MaxDepth} levels", errors.ToString());
            Assert.Equal("", output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Nesting_up_to_the_bound_is_read_and_one_level_more_is_refused()
    {
        string AtDepth(int depth) => "x-deep: " + new string('[', depth - 1) + new string(']', depth - 1) + "\n";

        ConfigLoadResult atBound = ForwarderConfigLoader.Load(TestConfigs.Minimal + "\n" + AtDepth(ConfigYamlParser.MaxDepth));
        ConfigLoadResult beyond = ForwarderConfigLoader.Load(TestConfigs.Minimal + "\n" + AtDepth(ConfigYamlParser.MaxDepth + 1));

        Assert.True(atBound.IsValid, string.Join('\n', atBound.Errors));
        // Line 8; the root mapping is level 1 and the first '[' (col 9) level 2, so level 65 is the 64th '['.
        TestConfigs.AssertOnlyError(beyond, "", 8, 8 + ConfigYamlParser.MaxDepth, $"nesting deeper than {ConfigYamlParser.MaxDepth} levels");
    }

    [Fact]
    public void A_chain_of_aliases_that_nests_deeper_than_the_bound_is_refused()
    {
        // Each anchor holds the previous one: no line is nested deep, but the tree the aliases build is.
        var yaml = new StringBuilder(TestConfigs.Minimal).Append("\nx-0: &a0 [1]\n");
        for (int i = 1; i <= 2 * ConfigYamlParser.MaxDepth; i++)
            yaml.Append($"x-{i}: &a{i} [*a{i - 1}]\n");

        ConfigLoadResult result = OnSmallStack(() => ForwarderConfigLoader.Load(yaml.ToString()));

        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Contains($"nests its anchor deeper than {ConfigYamlParser.MaxDepth} levels", error.Message);
        // x-i (line 8 + i) holds the alias *a(i-1), whose tree is i + 1 levels high, at level 3 (root, list, alias):
        // the first past 64 levels is x-62.
        Assert.Equal(8 + 62, error.Line);
    }

    /// <summary>Runs on a thread with a 256 KiB stack, far less than a thread pool thread's, so that unbounded recursion shows at once.</summary>
    private static T OnSmallStack<T>(Func<T> read)
    {
        T result = default!;
        var thread = new Thread(() => result = read(), maxStackSize: 256 << 10);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "reading did not finish within 60 s");
        return result;
    }
}
