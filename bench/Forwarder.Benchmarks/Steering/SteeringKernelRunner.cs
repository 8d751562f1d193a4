using AfXdp;
using Forwarder.Steering;

namespace Forwarder.Benchmarks.Steering;

/// <summary>
/// The steering program's cost as the kernel times it, with enough samples to see a nanosecond:
/// <c>dotnet Forwarder.Benchmarks.dll steering [--samples N] [--baseline-object PATH]</c>. For each packet kind of
/// <see cref="RedirectProgramBenchmarks"/>, N rounds (default 15) of 1,000,000 back-to-back runs (BPF_PROG_RUN in
/// repeat mode) of the floor, this build's redirect.c and, with <c>--baseline-object</c>, another build's redirect.o,
/// interleaved round by round so that all see the same machine; then each one's median per run and its distance from
/// the floor. (The BenchmarkDotNet class logs one such sample per set-up; its own columns time the syscall.)
/// </summary>
internal static class SteeringKernelRunner
{
    private const int RunsPerSample = 1_000_000;

    public static int Run(string[] args)
    {
        int samples = 15;
        string? baselinePath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--samples" when i + 1 < args.Length && int.TryParse(args[i + 1], out samples) && samples > 0:
                    i++;
                    break;
                case "--baseline-object" when i + 1 < args.Length && File.Exists(args[i + 1]):
                    baselinePath = args[++i];
                    break;
                default:
                    Console.Error.WriteLine("usage: steering [--samples N (> 0)] [--baseline-object PATH (an existing redirect.o)]");
                    return 2;
            }
        }

        using RedirectProgram current = SteeringFixture.Load(RedirectProgram.DefaultObjectPath);
        using RedirectProgram? baseline = baselinePath is null ? null : SteeringFixture.Load(baselinePath);
        using XdpProgram floor = SteeringFixture.LoadFloor();
        Console.WriteLine($"ns per run, median of {samples} samples of {RunsPerSample:N0} runs each (BPF_PROG_RUN repeat), interleaved");
        Console.WriteLine(baseline is null ? $"{"packet",-10} {"floor",6} {"redirect",9} {"− floor",8}"
            : $"{"packet",-10} {"floor",6} {"redirect",9} {"− floor",8} {"baseline",9} {"− floor",8}");
        foreach (string kind in SteeringFixture.PacketKinds)
        {
            byte[] frame = SteeringFixture.Frame(kind);
            var floors = new List<double>();
            var currents = new List<double>();
            var currentAbove = new List<double>();
            var baselines = new List<double>();
            var baselineAbove = new List<double>();
            for (int s = 0; s < samples; s++)
            {
                double f = PerRun(floor.ProgramFd, frame), c = PerRun(current.ProgramFd, frame);
                floors.Add(f);
                currents.Add(c);
                currentAbove.Add(c - f);
                if (baseline is null)
                    continue;
                double b = PerRun(baseline.ProgramFd, frame);
                baselines.Add(b);
                baselineAbove.Add(b - f);
            }
            string line = $"{kind,-10} {Median(floors),6:F1} {Median(currents),9:F1} {Median(currentAbove),8:+0.0;-0.0}";
            if (baseline is not null)
                line += $" {Median(baselines),9:F1} {Median(baselineAbove),8:+0.0;-0.0}";
            Console.WriteLine(line);
        }
        return 0;
    }

    private static uint PerRun(int programFd, byte[] frame) => ProgramTestRun.Repeat(programFd, frame, RunsPerSample).NanosecondsPerRun;

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
