using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoPass.Bench;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

// The tuning-quality benchmark: tune each program of bench/programs with a fixed budget, with the built-in
// search and with plain random search, then measure each pinned flag set against -O3 in a fresh,
// independent interleaved run. Prints a markdown table and writes it to bench/results/latest.md.
// With --landscape, measures single edits against -O3 instead (bench/results/landscape.md); with --real-projects DIR,
// tunes the open-source projects cloned there at the commits RealProjects pins (bench/results/real-projects.md); with
// --honesty yes, rechecks each program's claim independently after all sessions (bench/results/honesty.md); with
// --workers-throughput STORE, times one worker against two workers of one campaign in that store (bench/results/workers.md).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args);
string repo = BenchOptions.FindRepoRoot();
string programs = Path.Combine(repo, "bench", "programs");
string work = options.WorkDir ?? Path.Combine(repo, "bench", "obj");
Directory.CreateDirectory(work);
string results = Path.Combine(repo, "bench", "results");
Directory.CreateDirectory(results);

if (options.LandscapeEdits is { } edits)
{
    string landscape = await LandscapeRunner.RunAsync(programs, work, options, edits);
    Console.WriteLine(landscape);
    File.WriteAllText(Path.Combine(results, options.Output ?? "landscape.md"), landscape, new UTF8Encoding(false));
    return 0;
}

if (options.RealProjects is { } clones)
{
    string real;
    try
    {
        real = options.RealCheck ? await RealProjectRows.CheckAsync(clones, work, options) : await RealProjectRows.RunAsync(clones, work, options);
    }
    catch (RealCloneException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    Console.WriteLine(real);
    if (!options.RealCheck) File.WriteAllText(Path.Combine(results, options.Output ?? "real-projects.md"), real, new UTF8Encoding(false));
    return 0;
}

if (options.AaStudy)
{
    string aa = await AaStudy.RunAsync(programs, work, options);
    Console.WriteLine(aa);
    File.WriteAllText(Path.Combine(results, options.Output ?? "aa.md"), aa, new UTF8Encoding(false));
    return 0;
}

if (options.WorkersStore is { } store)
{
    string throughput = await WorkersThroughput.RunAsync(programs, work, options, store);
    Console.WriteLine(throughput);
    File.WriteAllText(Path.Combine(results, options.Output ?? "workers.md"), throughput, new UTF8Encoding(false));
    return 0;
}

var sink = new QuietSink();
if (options.Honesty)
{
    string honesty = await HonestyStudy.RunAsync(programs, work, options, sink);
    Console.WriteLine(honesty);
    File.WriteAllText(Path.Combine(results, options.Output ?? "honesty.md"), honesty, new UTF8Encoding(false));
    return 0;
}

var rows = new List<BenchRow>();
foreach (var program in options.Programs.Where(p => p != RealSizeRow.Program))
{
    var row = new BenchRow(program);
    var arms = new List<(string Name, SearchMode Mode, int RaceSize)> { ("bandit", SearchMode.Bandit, options.RaceSize), ("random", SearchMode.Random, options.RaceSize) };
    if (options.CompareOneAtATime) arms.Add(("one-at-a-time", SearchMode.Bandit, 1));
    foreach (var (name, mode, raceSize) in arms)
    {
        var clock = Stopwatch.StartNew();
        var outcome = await SuiteRunner.TuneAsync(programs, Path.Combine(work, program, name), program, mode, raceSize, options, sink);
        var independent = await SuiteRunner.MeasureIndependentlyAsync(programs, Path.Combine(work, program, "independent-" + name), program, outcome.Flags, options);
        outcome = outcome with { Independent = independent, WallSeconds = clock.Elapsed.TotalSeconds };
        row = name switch
        {
            "bandit" => row with { Tuned = outcome },
            "random" => row with { Random = outcome },
            _ => row with { OneAtATime = outcome },
        };
        Console.Error.WriteLine($"{program} [{name}]: {string.Join(' ', outcome.Flags)} -> {independent}; {outcome.Cost}");
    }
    rows.Add(row);
}

string table = rows.Count == 0 ? "" : BenchTable.Render(rows, options);
if (options.Programs.Contains(RealSizeRow.Program))
    table += (table.Length == 0 ? "" : Environment.NewLine) + await RealSizeRow.RunAsync(repo, work, options, sink);
Console.WriteLine(table);
File.WriteAllText(Path.Combine(results, options.Output ?? "latest.md"), table, new UTF8Encoding(false));
return 0;

/// <summary>Sessions run quietly under the bench; the table says what happened.</summary>
internal sealed class QuietSink : IDiagnosticSink
{
    public void Warning(string code, string message) { }
    public void Info(string message) { }
    public void Detail(string message) { }
    public void Progress(string status, string line) { }
}
