using System.CommandLine;
using System.Text.Json;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder capture -w FILE</c>: captures frames from a running forwarder's workers — what tcpdump cannot see, as
/// the AF_XDP sockets take it — into a pcapng file: each frame as received (interface rx) and as transmitted (tx), or
/// as received with its drop reason (drop). Runs until the count or duration is reached, or Ctrl-C; only whole blocks
/// are written, so the file is readable either way. A file that cannot be written stops the capture, not forwarding.
/// </summary>
public static class CaptureCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        var file = new Option<string>("--write", "-w") { Description = "The pcapng file to write (read it with tcpdump -r or Wireshark)", Required = true };
        var vip = new Option<string?>("--vip") { Description = "Only frames to this VIP: ADDRESS[:PORT][/tcp|udp], e.g. 10.0.0.10:80/tcp or [fc00::10]:443/tcp" };
        var backend = new Option<string?>("--backend") { Description = "Only frames sent to this backend address (ipip, gue, nat) or received from it (nat replies)" };
        var dropReason = new Option<string?>("--drop-reason") { Description = "Only frames dropped for this reason, named as in the metrics (e.g. unknown_vip, no_backend)" };
        var count = new Option<string?>("--count", "-c") { Description = $"Stop after this many received frames (1 to {Capture.CaptureRequest.MaxCount})" };
        var snapLength = new Option<string?>("--snaplen", "-s") { Description = "Bytes kept of each frame (default and most: 4096, a whole frame)" };
        var duration = new Option<string?>("--duration") { Description = "Stop after this long: seconds, or with s, m, h (at most 24h)" };
        var command = new Command("capture", "Capture the frames the workers receive and transmit (before and after the rewrite) or drop, into a pcapng file")
        {
            api.Address, api.TokenFile, file, vip, backend, dropReason, count, snapLength, duration,
        };
        command.SetAction((parse, cancel) => Run(parse, api, parse.GetValue(file)!, Query(parse, (vip, "vip"), (backend, "backend"),
            (dropReason, "drop_reason"), (count, "count"), (snapLength, "snaplen"), (duration, "duration")), cancel));
        return command;
    }

    private static string Query(ParseResult parse, params (Option<string?> Option, string Name)[] parameters)
    {
        string[] given = parameters.Where(p => parse.GetValue(p.Option) is not null)
            .Select(p => $"{p.Name}={Uri.EscapeDataString(parse.GetValue(p.Option)!)}").ToArray();
        return given.Length == 0 ? "/capture" : "/capture?" + string.Join('&', given);
    }

    private static async Task<int> Run(ParseResult parse, ApiOptions api, string path, string query, CancellationToken cancel)
    {
        TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
        if (api.Target(parse, errors) is not { } forwarder)
            return ApiCommandLine.UsageError;
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0); // unbuffered: a failed write leaves nothing to flush
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.WriteLine($"forwarder capture: cannot write {path}: {e.Message}");
            return ApiCommandLine.Failure;
        }
        await using (file)
        {
            using var client = new ApiClient(forwarder, Timeout.InfiniteTimeSpan);
            HttpResponseMessage response;
            try
            {
                response = await client.OpenStreamAsync(HttpMethod.Post, query, cancel);
            }
            catch (ApiUnreachableException e)
            {
                errors.WriteLine(e.Message);
                return ApiCommandLine.Failure;
            }
            catch (OperationCanceledException)
            {
                return ApiCommandLine.Failure;
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    var answer = new ApiResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None));
                    foreach (string error in answer.Errors())
                        errors.WriteLine($"forwarder capture: {error}");
                    return ApiCommandLine.Failure;
                }
                return await Copy(response, file, path, output, errors, cancel);
            }
        }
    }

    /// <summary>Writes the stream's whole blocks to the file until it ends or Ctrl-C; says what was captured.</summary>
    private static async Task<int> Copy(HttpResponseMessage response, FileStream file, string path, TextWriter output, TextWriter errors, CancellationToken cancel)
    {
        var blocks = new PcapngBlocks();
        byte[] buffer = new byte[64 * 1024];
        bool interrupted = false;
        IOException? fileError = null;
        void ToFile(Action write) // a file error is told apart from the stream's own
        {
            try
            {
                write();
            }
            catch (IOException e)
            {
                fileError = e;
                throw;
            }
        }
        void Write(ReadOnlyMemory<byte> block) => ToFile(() => file.Write(block.Span));
        try
        {
            await using Stream body = await response.Content.ReadAsStreamAsync(cancel);
            while (true)
            {
                int read = await body.ReadAsync(buffer, cancel);
                if (read == 0)
                    break;
                if (!blocks.Add(buffer.AsSpan(0, read), Write))
                {
                    errors.WriteLine($"forwarder capture: the answer is not a pcapng stream; {path} holds what came before");
                    return ApiCommandLine.Failure;
                }
                ToFile(file.Flush); // the file holds every whole block that arrived: it can be followed while it grows
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            interrupted = true;
        }
        catch (IOException) when (fileError is not null)
        {
            errors.WriteLine($"forwarder capture: writing {path} failed: {fileError.Message}; the capture was stopped (forwarding goes on)");
            return ApiCommandLine.Failure;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            errors.WriteLine($"forwarder capture: the forwarder's stream broke off ({e.Message}); {path} holds the frames that came before");
            return ApiCommandLine.Failure;
        }
        string frames = $"{blocks.Received + blocks.Dropped} frame(s) received ({blocks.Transmitted} transmitted, {blocks.Dropped} dropped) written to {path}";
        if (interrupted)
        {
            output.WriteLine($"forwarder capture: interrupted: {frames}");
            return ApiCommandLine.Success;
        }
        if (blocks.Lost is not { } lost)
        {
            errors.WriteLine($"forwarder capture: the forwarder ended the capture early (stopped?): {frames}");
            return ApiCommandLine.Failure;
        }
        output.WriteLine($"forwarder capture: {frames}; {lost} lost to capture ring overflow");
        return ApiCommandLine.Success;
    }
}
