using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Forwarder.Api;
using Forwarder.Metrics;
using Spectre.Console;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder stats</c>: a live view of a running forwarder's rates — per queue, per VIP and backend,
/// drops by reason — read from its <c>/metrics</c> every interval until Ctrl-C, with the liveness device's and
/// announcing's state from its <c>/status</c> as <c>forwarder status</c> shows them. <c>--once</c> takes two
/// readings one interval apart, prints one table and exits (for scripts and tests); <c>--json</c> prints that
/// reading as one JSON document (<see cref="StatsReport"/>) instead, and implies <c>--once</c>.
/// </summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        var once = new Option<bool>("--once") { Description = "Print one table of rates over one interval and exit" };
        var json = new Option<bool>("--json") { Description = "Print one reading with its rates as JSON (snake_case) and exit; implies --once" };
        var interval = new Option<double>("--interval") { Description = "Seconds between readings", DefaultValueFactory = _ => 1 };
        var command = new Command("stats", "Live rates of a running forwarder (per queue, VIP and backend; drops by reason), refreshed every second; Ctrl-C to quit")
        {
            api.Address, api.TokenFile, once, json, interval,
        };
        command.SetAction((parse, cancel) => Run(parse, api, parse.GetValue(once) || parse.GetValue(json), parse.GetValue(json), parse.GetValue(interval), cancel));
        return command;
    }

    private static async Task<int> Run(ParseResult parse, ApiOptions api, bool once, bool json, double seconds, CancellationToken invocation)
    {
        // Ctrl-C (or SIGTERM) ends the view cleanly: the loop stops, the terminal is restored and the exit code is 0.
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(invocation);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; quit.Cancel(); });
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; quit.Cancel(); });
        CancellationToken cancel = quit.Token;
        TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
        if (api.Target(parse, errors) is not { } forwarder)
            return ApiCommandLine.UsageError;
        if (seconds is < 0.1 or > 3600 || double.IsNaN(seconds))
        {
            errors.WriteLine($"forwarder stats: --interval {seconds}: give 0.1 to 3600 seconds");
            return ApiCommandLine.UsageError;
        }
        TimeSpan interval = TimeSpan.FromSeconds(seconds);
        var clock = Stopwatch.StartNew();
        using var client = new ApiClient(forwarder);
        try
        {
            MetricsReading first = await Read(client, clock, cancel);
            if (once)
            {
                await Task.Delay(interval, cancel);
                MetricsReading second = await Read(client, clock, cancel);
                StatsNodeState state = await StatsNodeState.ReadAsync(client, cancel);
                if (json)
                {
                    output.WriteLine(StatsReport.From(first, second, state).ToJson());
                    return ApiCommandLine.Success;
                }
                IAnsiConsole plain = AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Out = new AnsiConsoleOutput(output),
                    Ansi = AnsiSupport.No,
                    ColorSystem = ColorSystemSupport.NoColors,
                    Interactive = InteractionSupport.No,
                });
                plain.Profile.Width = 160;
                plain.Write(StatsView.Render(first, second, state));
                return ApiCommandLine.Success;
            }

            MetricsReading earlier = first;
            await AnsiConsole.Live(StatsView.Render(null, first, await StatsNodeState.ReadAsync(client, cancel))).StartAsync(async live =>
            {
                while (!cancel.IsCancellationRequested)
                {
                    await Task.Delay(interval, cancel);
                    MetricsReading now = await Read(client, clock, cancel);
                    live.UpdateTarget(StatsView.Render(earlier, now, await StatsNodeState.ReadAsync(client, cancel)));
                    earlier = now;
                }
            });
            return ApiCommandLine.Success;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ApiCommandLine.Success; // Ctrl-C
        }
        catch (Exception e) when (e is ApiUnreachableException or StatsUnavailableException)
        {
            errors.WriteLine(e.Message);
            return ApiCommandLine.Failure;
        }
        catch (FormatException e)
        {
            errors.WriteLine($"forwarder stats: the answer at {forwarder.Address} is not a forwarder's metrics: {e.Message}");
            return ApiCommandLine.Failure;
        }
    }

    private static async Task<MetricsReading> Read(ApiClient client, Stopwatch clock, CancellationToken cancel)
    {
        ApiResponse response = await client.GetAsync("/metrics", cancel);
        if (!response.IsSuccess)
            throw new StatsUnavailableException(string.Join("\n", response.Errors()));
        var reading = new MetricsReading(PrometheusTextParser.Parse(response.Body), clock.Elapsed);
        // Every forwarder exposes its table version; an answer without one came from something else.
        if (reading.Samples("forwarder_table_version").Count == 0)
            throw new FormatException("it has no forwarder_table_version");
        return reading;
    }
}
