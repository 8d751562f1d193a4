return TrafficGen.Cli.TrafficGenCli.Run(args);
