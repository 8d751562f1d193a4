if (args is ["run", ..])
    Forwarder.Hosting.ControlSignals.TakeBack(); // before anything sets up .NET's signal handling
Forwarder.Hosting.StartupTimeline.Mark(Forwarder.Hosting.StartupPhase.RuntimeUp);
return Forwarder.Cli.ForwarderCli.Run(args);
