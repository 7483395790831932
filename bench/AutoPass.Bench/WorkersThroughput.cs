using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;
using Npgsql;

namespace AutoPass.Bench;

/// <summary>
/// The workers' throughput: one campaign of one worker, then one of two workers at once on this machine, with the same
/// budget and seed and the deterministic instructions objective, each worker on its own copy of bench/programs (as each
/// machine of a pool has its own checkout). Candidates per minute are the candidates timed between the first batch's
/// proposal and the last batch's recording, by the store's clock: the search, as a session's search cost counts it; the
/// baselines, calibrations and the conclusion (one worker's, in both arms) are left out.
/// </summary>
internal static class WorkersThroughput
{
    private sealed record Arm(int Workers, int Timed, double SearchMinutes, string Flags, string Speedup, double WallMinutes)
    {
        public double PerMinute => SearchMinutes <= 0 ? 0 : Timed / SearchMinutes;
    }

    public static async Task<string> RunAsync(string programs, string work, BenchOptions options, string store)
    {
        string program = options.Programs[0];
        var one = await RunArmAsync(programs, work, program, options, store, workers: 1);
        var two = await RunArmAsync(programs, work, program, options, store, workers: 2);
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Workers' throughput: {program}:1, objective instructions, {options.Trials} trials, race size {options.RaceSize}, seed {options.Seed}, {Environment.ProcessorCount} cores");
        table.AppendLine();
        table.AppendLine("| workers | candidates timed | search min | candidates/min | vs one | pinned | speedup (instructions) | wall min |");
        table.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var arm in new[] { one, two })
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {arm.Workers} | {arm.Timed} | {arm.SearchMinutes:0.00} | {arm.PerMinute:0.0} | {arm.PerMinute / one.PerMinute:0.00}x | `{arm.Flags}` | {arm.Speedup} | {arm.WallMinutes:0.0} |");
        return table.ToString();
    }

    private static async Task<Arm> RunArmAsync(string programs, string work, string program, BenchOptions options, string store, int workers)
    {
        string campaign = $"throughput-{workers}-{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();
        var sessions = Enumerable.Range(0, workers).Select(i =>
        {
            string dir = Path.Combine(work, "workers", $"{workers}-{i}");
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            string source = Copy(programs, Path.Combine(dir, "programs"));
            var request = new TuningRequest
            {
                SourceDir = source, OutputDir = Path.Combine(dir, "pinned"), IntermediateDir = Path.Combine(dir, "obj"),
                Benchmarks = [new BenchmarkSpec(program, ["1"])], MaxTrials = options.Trials, MaxMinutes = options.MaxMinutesPerSession, Seed = options.Seed,
                RaceSize = options.RaceSize, Agents = AgentMode.Builtin, TuneScope = TuneScope.Project, Objective = MeasurementObjective.Instructions,
                NoNoiseWarnings = true, Store = store, Campaign = campaign, Worker = true,
                // Two workers stand for two machines: each runs its benchmarks on whichever core is free, not both on the last one.
                PinToCore = false,
            };
            return Task.Run(() => new WorkerSession(request, new QuietSink()).RunAsync(concludeNow: false, CancellationToken.None));
        }).ToList();
        var results = await Task.WhenAll(sessions);
        var pinned = results.Single(r => r is not null)!;
        var (timed, minutes) = Searched(store, campaign);
        string speedup = pinned.Lock.Speedup is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.Estimate:0.000}x") : "none";
        Console.Error.WriteLine($"{workers} worker(s): {timed} timed in {minutes:0.00} min; pinned {string.Join(' ', pinned.Lock.Flags)} ({speedup})");
        return new Arm(workers, timed, minutes, pinned.Lock.Flags.Count == 0 ? "(baseline)" : string.Join(' ', pinned.Lock.Flags), speedup, clock.Elapsed.TotalMinutes);
    }

    /// <summary>Candidates timed in the campaign (screened with a verdict, not reusing another's binaries), and the minutes from its first batch's proposal to its last batch's recording.</summary>
    private static (int Timed, double Minutes) Searched(string store, string campaign)
    {
        using var connection = new NpgsqlConnection(store);
        connection.Open();
        using var select = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM autopass_ledger_lines WHERE campaign = @campaign AND line_type = 'trial' AND line->>'phase' = 'screen' " +
            "AND line ? 'verdict' AND NOT line ? 'reusedFrom')::int, " +
            "extract(epoch FROM (SELECT max(done_at) FROM autopass_batches WHERE campaign = @campaign) - (SELECT min(created_at) FROM autopass_batches WHERE campaign = @campaign))::float8 / 60",
            connection);
        select.Parameters.AddWithValue("campaign", campaign);
        using var reader = select.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetDouble(1));
    }

    private static string Copy(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("build", StringComparison.Ordinal)) continue;
            string destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }
}
