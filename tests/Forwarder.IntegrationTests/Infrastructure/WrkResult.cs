using System.Globalization;
using System.Text.RegularExpressions;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>What wrk reports: requests completed, socket errors (connect, read, write, timeout) and non-2xx/3xx answers.</summary>
public sealed partial record WrkResult(long Requests, long SocketErrors, long BadResponses, string Text)
{
    public static WrkResult Parse(string stdout)
    {
        Match requests = RequestsLine().Match(stdout);
        if (!requests.Success)
            throw new FormatException($"no request count in wrk's output:\n{stdout}");
        Match errors = SocketErrorsLine().Match(stdout);
        long socketErrors = errors.Success ? Enumerable.Range(1, 4).Sum(g => Number(errors.Groups[g].Value)) : 0;
        Match bad = BadResponsesLine().Match(stdout);
        return new WrkResult(Number(requests.Groups[1].Value), socketErrors, bad.Success ? Number(bad.Groups[1].Value) : 0, stdout.TrimEnd());
    }

    private static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex BadResponsesLine();

    public override string ToString() => Text;
}
