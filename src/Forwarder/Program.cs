return Forwarder.Cli.ForwarderCli.Run(args);
