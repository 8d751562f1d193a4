using BenchReport;

// benchreport WINDOWS.tsv --out-dir DIR [--micro BDN_RESULTS_DIR] [--check] [--name STEM]
// benchreport WINDOWS.tsv --row CASE
// Reads the records bench/e2e.sh appended, prints the table, writes DIR/STEM.json (STEM defaults to
// <date>-<host> from the file's meta records) and DIR/STEM.png (gnuplot). --check: exit 1 unless every
// case has a non-zero median and both files exist (the smoke run). --row: prints only that case's row
// (bench/e2e.sh after each case) and writes nothing.
const string Usage = "usage: benchreport WINDOWS.tsv --out-dir DIR [--micro BDN_RESULTS_DIR] [--name STEM] [--check]\n       benchreport WINDOWS.tsv --row CASE";
string? windows = null, outDir = null, micro = null, stem = null, row = null;
bool check = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out-dir": outDir = args[++i]; break;
        case "--micro": micro = args[++i]; break;
        case "--name": stem = args[++i]; break;
        case "--row": row = args[++i]; break;
        case "--check": check = true; break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            if (windows is null && !args[i].StartsWith('-')) { windows = args[i]; break; }
            Console.Error.WriteLine($"benchreport: unexpected argument {args[i]}");
            return 2;
    }
}
if (windows is null || (outDir is null && row is null))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

BenchRun run;
try
{
    run = BenchRun.Parse(File.ReadLines(windows));
}
catch (Exception e) when (e is FormatException or IOException)
{
    Console.Error.WriteLine($"benchreport: {windows}: {e.Message}");
    return 1;
}
if (row is not null)
{
    if (Report.Build(run).Cases.FirstOrDefault(c => c.Name == row) is not { } result)
    {
        Console.Error.WriteLine($"benchreport: {windows} has no case {row}");
        return 1;
    }
    Console.WriteLine(Report.Header);
    Console.WriteLine(Report.Row(result));
    return 0;
}
outDir ??= ".";
List<MicroResult> microResults = micro is null ? [] : MicroResults.ReadDirectory(micro);
Report report = Report.Build(run, microResults, microResults.Count > 0 ? micro : null);
stem ??= $"{run.MetaOr("date", DateTime.UtcNow.ToString("yyyy-MM-dd"))}-{run.MetaOr("host", Environment.MachineName)}";
Directory.CreateDirectory(outDir);
string json = Path.Combine(outDir, stem + ".json"), png = Path.Combine(outDir, stem + ".png");
File.WriteAllText(json, report.ToJsonText());
Console.Write(report.ToTable());
string? chartError = Chart.Render(report, png);
if (chartError is not null)
    Console.Error.WriteLine($"benchreport: {chartError}");
Console.WriteLine($"report: {json}");
Console.WriteLine($"chart:  {(chartError is null ? png : "not written")}");

if (!check)
    return 0;
var problems = new List<string>();
problems.AddRange(report.EmptyCases().Select(c => $"case {c} measured no packets"));
if (report.Cases.Count == 0)
    problems.Add("no cases");
foreach (string file in new[] { json, png })
{
    if (!File.Exists(file) || new FileInfo(file).Length == 0)
        problems.Add($"{file} missing or empty");
}
foreach (string problem in problems)
    Console.Error.WriteLine($"benchreport: check failed: {problem}");
Console.WriteLine(problems.Count == 0 ? "CHECK ok: every case has a non-zero rate; report and chart written" : $"CHECK failed ({problems.Count})");
return problems.Count == 0 ? 0 : 1;
