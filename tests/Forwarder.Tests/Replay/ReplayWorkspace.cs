using System.Runtime.Versioning;
using Forwarder.Cli;
using Forwarder.Replay;

namespace Forwarder.Tests.Replay;

/// <summary>A temporary directory holding a replay's configuration, input and output, and the way to run <c>forwarder replay</c> on them.</summary>
[SupportedOSPlatform("linux")]
internal sealed class ReplayWorkspace : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-replay-");

    public string ConfigPath => Path.Combine(_directory.FullName, "config.yaml");

    public string InputPath => Path.Combine(_directory.FullName, "in.pcap");

    public string OutputPath => Path.Combine(_directory.FullName, "out.pcap");

    public ReplayWorkspace WithConfig(string yaml)
    {
        File.WriteAllText(ConfigPath, yaml);
        return this;
    }

    public ReplayWorkspace WithInput(byte[] capture)
    {
        File.WriteAllBytes(InputPath, capture);
        return this;
    }

    public ReplayOutcome Run(string ownMac = ReplayRequest.DefaultOwnMac, int batchSize = 64, bool json = true) =>
        Run(new ReplayRequest(ConfigPath, InputPath, OutputPath, ownMac, batchSize, json));

    public static ReplayOutcome Run(ReplayRequest request)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = ReplayCommand.Replay(request, output, errors);
        return new ReplayOutcome(exitCode, output.ToString(), errors.ToString());
    }

    /// <summary>The frames written to <see cref="OutputPath"/>.</summary>
    public List<(CapturedFrame Frame, byte[] Data)> Output() => PcapFiles.ReadAll(File.ReadAllBytes(OutputPath), OutputPath);

    public void Dispose() => _directory.Delete(recursive: true);
}

