namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>A thread, its name and the CPUs it may run on (Cpus_allowed_list, e.g. "1" or "0-1").</summary>
public sealed record ThreadCpus(int Tid, string Name, string CpusAllowed);
