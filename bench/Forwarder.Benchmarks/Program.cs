using BenchmarkDotNet.Running;
using Forwarder.Benchmarks.CpuTime;

namespace Forwarder.Benchmarks;

/// <summary>
/// Per-stage micro-benchmarks: <c>dotnet run -c Release --project bench/Forwarder.Benchmarks -- --filter '*'</c>;
/// <c>-- cputime Class.Method [Param=Value ...]</c> times one case by thread CPU time (<see cref="CpuTimeRunner"/>);
/// <c>-- steering [--samples N] [--baseline-object PATH]</c> times the steering program as the kernel does (<see cref="Steering.SteeringKernelRunner"/>).
/// </summary>
public static class BenchmarkProgram
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "cputime")
            return CpuTimeRunner.Run(args[1..]);
        if (args.Length > 0 && args[0] == "steering")
            return Steering.SteeringKernelRunner.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
