// Namespace tests share the machine's few cores (forwarder workers are pinned to them) and build
// topologies of their own: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
