using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Forwarder.Benchmarks.CpuTime;

/// <summary>
/// Runs one benchmark case outside BenchmarkDotNet and times it by the thread's own CPU time
/// (<c>CLOCK_THREAD_CPUTIME_ID</c>) instead of the wall clock, so time the thread spends descheduled on a loaded
/// machine is not counted: <c>Forwarder.Benchmarks cputime Class.Method [Param=Value ...]</c>, e.g.
/// <c>cputime LoadBalancerBenchmarks.Process Traffic=ipip Layout=UmemChunk</c>. Sets the parameters, runs
/// the class's [GlobalSetup], runs the method for 2 s (tiering settles), then times 60 rounds of about 2 ms
/// each and prints <c>CPUTIME min X median Y</c>, nanoseconds per operation (per
/// <see cref="BenchmarkAttribute.OperationsPerInvoke"/>). Caches, other threads and the VM still show; the
/// minimum is the steadiest figure. bench/launches.sh <c>-c</c> runs it in N launches.
/// </summary>
internal static class CpuTimeRunner
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
    private const int Rounds = 60;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0].Split('.') is not [string typeName, string methodName])
        {
            Console.Error.WriteLine("usage: cputime Class.Method [Param=Value ...]");
            return 2;
        }
        Type? type = typeof(CpuTimeRunner).Assembly.GetTypes().SingleOrDefault(t => t.Name == typeName);
        MethodInfo? method = type?.GetMethod(methodName, BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        BenchmarkAttribute? benchmark = method?.GetCustomAttribute<BenchmarkAttribute>();
        if (type is null || method is null || benchmark is null)
        {
            Console.Error.WriteLine($"cputime: no benchmark {args[0]}");
            return 2;
        }
        object instance = Activator.CreateInstance(type)!;
        foreach (string assignment in args.Skip(1))
        {
            string[] parts = assignment.Split('=', 2);
            PropertyInfo? property = parts.Length == 2 ? type.GetProperty(parts[0]) : null;
            if (property is null)
            {
                Console.Error.WriteLine($"cputime: {typeName} has no parameter {assignment}");
                return 2;
            }
            property.SetValue(instance, property.PropertyType.IsEnum
                ? Enum.Parse(property.PropertyType, parts[1])
                : Convert.ChangeType(parts[1], property.PropertyType, CultureInfo.InvariantCulture));
        }
        Invoke<GlobalSetupAttribute>(type, instance);

        Action call = Expression.Lambda<Action>(Expression.Call(Expression.Constant(instance), method)).Compile();
        long warmUpEnd = Now() + 2_000_000_000;
        long invocations = 0;
        while (Now() < warmUpEnd)
        {
            call();
            invocations++;
        }
        long perRound = Math.Max(1, invocations / 1000); // about 2 ms of CPU a round
        var figures = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long start = Now();
            for (long i = 0; i < perRound; i++)
                call();
            figures[round] = (Now() - start) / (double)(perRound * benchmark.OperationsPerInvoke);
        }
        Invoke<GlobalCleanupAttribute>(type, instance);
        Array.Sort(figures);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPUTIME min {figures[0]:F2} median {figures[Rounds / 2]:F2} (ns per operation, {Rounds} rounds of {perRound} invocations)"));
        return 0;
    }

    private static void Invoke<TAttribute>(Type type, object instance) where TAttribute : Attribute
    {
        foreach (MethodInfo m in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
            m.Invoke(instance, null);
    }

    private static long Now()
    {
        _ = ClockGetTime(ThreadCpuClock, out Timespec time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
