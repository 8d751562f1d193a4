Forwarder.Hosting.StartupTimeline.Mark(Forwarder.Hosting.StartupPhase.RuntimeUp);
return Forwarder.Cli.ForwarderCli.Run(args);
