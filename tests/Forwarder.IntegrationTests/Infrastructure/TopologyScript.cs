namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// A topology script of <c>scripts/</c>, copied beside the tests: the one definition of a shape that the demo
/// builds too. Its variables are read and its functions run by bash (the script sourced first), so the tests
/// and the demo cannot drift apart.
/// </summary>
internal sealed class TopologyScript(string fileName)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "scripts", fileName);

    /// <summary>A variable the script sets; an array's items joined by spaces.</summary>
    public string Variable(string name)
    {
        string value = Bash($"printf '%s' \"${{{name}[*]}}\"");
        return value.Length > 0 ? value : throw new InvalidOperationException($"{Path} sets no {name}");
    }

    /// <summary>An array the script sets, item by item.</summary>
    public IReadOnlyList<string> Array(string name) => Variable(name).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs <c>FUNCTION ARGUMENTS...</c> from the script and returns its standard output; throws if it fails.</summary>
    public string Run(string function, params string[] arguments) => Bash($"{function} \"$@\"", arguments);

    private string Bash(string command, params string[] arguments)
    {
        CommandResult result = HostCommand.Run("bash", ["-c", $"set -euo pipefail; source \"$0\"; {command}", Path, .. arguments], Timeout);
        return result.Succeeded ? result.Stdout : throw CommandFailedException.From(result);
    }
}
