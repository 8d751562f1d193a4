using BenchmarkDotNet.Running;

namespace Forwarder.Benchmarks;

/// <summary>Per-stage micro-benchmarks: <c>dotnet run -c Release --project bench/Forwarder.Benchmarks -- --filter '*'</c>.</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
