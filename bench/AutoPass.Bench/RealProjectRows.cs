using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Pinning;
using AutoPass.Core.Processes;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Bench;

/// <summary>One search's session on a real project: what it pinned, on which files, its cost, and the codes it warned with.</summary>
internal sealed record RealArm(SearchOutcome Outcome, IReadOnlyList<string> Files, IReadOnlyList<string> WarningCodes)
{
    /// <summary>Seconds of candidate builds per candidate timed: what a timed candidate cost in builds.</summary>
    public double BuildSecondsPerTimed => Outcome.Cost is { MeasuredCandidates: > 0 } c ? c.BuildSeconds / c.MeasuredCandidates : double.NaN;
}

/// <param name="RebuildSeconds">A full rebuild of the benchmark's target at -O3 (clean, then build), for scale.</param>
internal sealed record RealProjectRow(RealProject Project, RealArm Search, RealArm Random, double RebuildSeconds);

/// <summary>
/// The real-project rows (issue 26): open-source projects cloned by the user at the commits bench/ pins, each tuned as a user
/// would (hot-file scope, Ninja) by the built-in search and by random search with the same budget, then each pinned
/// autopass.cmake built fresh and timed against a fresh -O3. The benchmarks read a prefix of one generated input; each prints its
/// result to stdout, which the session compares with the -O3 baseline's.
/// </summary>
internal static class RealProjectRows
{
    public static async Task<string> RunAsync(string clones, string work, BenchOptions options)
    {
        var projects = Prepare(clones, options);
        var rows = new List<RealProjectRow>();
        foreach (var (project, index) in projects.Select((p, i) => (p, i)))
        {
            string input = project.PrepareInput(work);
            string source = project.SourceDir(clones);
            var benchmark = new BenchmarkSpec(project.Target, project.Arguments(input));
            string dir = Path.Combine(work, "real", project.Name);
            var arms = new Dictionary<SearchMode, RealArm>();
            // The arm that goes first alternates: a machine's first minutes after a build can be noisier (run 7's first
            // calibration resolved a 3.9% pair spread, the second 1.0%), which should not always fall on the same arm.
            SearchMode[] order = index % 2 == 0 ? [SearchMode.Bandit, SearchMode.Random] : [SearchMode.Random, SearchMode.Bandit];
            foreach (var mode in order)
            {
                string name = mode.ToString().ToLowerInvariant();
                var warnings = new WarningCodes();
                var (outcome, result) = await SuiteRunner.TuneAndMeasurePinnedAsync(source, Path.Combine(dir, name), Path.Combine(dir, "independent-" + name), benchmark, mode, options, warnings,
                    r => r with { TuneScope = TuneScope.Hot, Generator = "Ninja", CMakeArgs = project.CMakeArgs, BuildSlots = options.BuildSlots });
                var arm = new RealArm(outcome, result.Lock.Files?.Select(f => f.Path).ToList() ?? [], warnings.Codes);
                Console.Error.WriteLine($"{project.Name} [{name}]: {Pinned(arm)} -> {outcome.Independent}; {outcome.Cost}; build s a timed candidate {PerTimed(arm)}; " +
                    $"warnings {(arm.WarningCodes.Count == 0 ? "none" : string.Join(", ", arm.WarningCodes))}");
                arms[mode] = arm;
            }
            double rebuild = await RebuildSecondsAsync(Path.Combine(dir, "independent-bandit", "o3"), project.Target);
            Console.Error.WriteLine($"{project.Name}: full rebuild at -O3 {rebuild:0.0} s");
            rows.Add(new RealProjectRow(project, arms[SearchMode.Bandit], arms[SearchMode.Random], rebuild));
        }
        return Render(rows, options);
    }

    /// <summary>
    /// Without tuning: each clone's commit checked, a fresh -O3 build timed, and the benchmark run three times, its time and
    /// output printed. What a user runs first to see that the clones and the machine are ready.
    /// </summary>
    public static async Task<string> CheckAsync(string clones, string work, BenchOptions options)
    {
        var projects = Prepare(clones, options);
        var text = new StringBuilder();
        text.AppendLine($"Input: the first MiB of a generated {RealInput.DefaultBytes >> 20} MiB file (SHA-256 {RealInput.DefaultSha256}), as each row says.");
        text.AppendLine();
        text.AppendLine("| project | commit | command | input | -O3 rebuild s | run s (3 runs) | stdout bytes | stdout SHA-256 |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var project in projects)
        {
            string inputHash = RealInput.Ensure(project.InputPath(work), project.InputMiB << 20);
            string input = project.PrepareInput(work);
            string source = project.SourceDir(clones);
            string tree = Path.Combine(work, "real", project.Name, "check-o3");
            if (Directory.Exists(tree)) Directory.Delete(tree, recursive: true);
            var builder = new CMakeBuilder(new CMakeSettings(source, "Ninja") { ExtraArgs = project.CMakeArgs });
            var o3 = await builder.BuildAsync(["-O3"], tree, [project.Target], "bench check -O3", CancellationToken.None);
            if (!o3.Succeeded) throw new InvalidOperationException($"{project.Name}: the -O3 build failed: {o3.Failure?.Message}\n{o3.Log}");
            double rebuild = await RebuildSecondsAsync(tree, project.Target);
            var runner = new ProgramRunner(pinToCore: true);
            var runs = new List<RunSample>();
            for (int i = 0; i < 3; i++)
            {
                var run = await runner.RunAsync(o3.Executables[project.Target], project.Arguments(input), source, 0, TimeSpan.FromMinutes(2), CancellationToken.None);
                if (!run.Succeeded) throw new InvalidOperationException($"{project.Name}: the benchmark {run.FailureText}");
                runs.Add(run);
            }
            if (runs.Select(r => r.StandardOutput.Sha256).Distinct().Count() != 1)
                throw new InvalidOperationException($"{project.Name}: the benchmark's stdout differs from one run to the next, so it cannot be compared with the baseline's");
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {project.Name} | {project.Commit[..12]} | `{project.CommandLine}` | {project.InputMiB} MiB, {inputHash[..16]} | {rebuild:0.0} | {string.Join(", ", runs.Select(r => r.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture)))} | {runs[0].StandardOutput.Length} | {runs[0].StandardOutput.Sha256[..16]} |"));
            Console.Error.WriteLine($"{project.Name}: checked");
        }
        return text.ToString();
    }

    private static IReadOnlyList<RealProject> Prepare(string clones, BenchOptions options)
    {
        var projects = (options.RealNames ?? RealProjects.Default).Select(RealProjects.Named).ToList();
        // Every clone checked before the first session starts: a wrong commit found an hour in wastes the hour.
        foreach (var project in projects) RealProjects.CheckClone(clones, project);
        return projects;
    }

    /// <summary>Cleans <paramref name="tree"/> and times a build of <paramref name="target"/> in it, as CMake builds a candidate.</summary>
    private static async Task<double> RebuildSecondsAsync(string tree, string target)
    {
        var clean = await ExternalTool.RunAsync(CMakeBuilder.CMakeExecutable, ["--build", tree, "--target", "clean"]);
        if (!clean.Succeeded) throw new InvalidOperationException($"cleaning {tree} failed\n{clean.CombinedOutput}");
        var clock = Stopwatch.StartNew();
        var build = await ExternalTool.RunAsync(CMakeBuilder.CMakeExecutable,
            ["--build", tree, "--target", target, "--parallel", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)]);
        if (!build.Succeeded) throw new InvalidOperationException($"rebuilding {target} in {tree} failed\n{build.CombinedOutput}");
        return clock.Elapsed.TotalSeconds;
    }

    private static string Pinned(RealArm arm) =>
        arm.Outcome.Flags.Count == 0 ? "(baseline)" : string.Join(' ', arm.Outcome.Flags) + " on " + (arm.Files.Count == 0 ? "every file" : string.Join(", ", arm.Files));

    private static string Render(IReadOnlyList<RealProjectRow> rows, BenchOptions options)
    {
        var text = new StringBuilder();
        string slots = options.BuildSlots == 0 ? "chosen by each session (at most one per core)" : options.BuildSlots.ToString(CultureInfo.InvariantCulture);
        text.AppendLine($"Real projects at their pinned commits: each tuned by the built-in search (race size {options.RaceSize}) and by random search, hot-file scope, Ninja, build slots {slots}, " +
            $"{options.MaxMinutesPerSession:0.#} search minutes and at most {options.Trials} trials per session, seed {options.Seed}; each pinned autopass.cmake built fresh and timed " +
            $"against a fresh -O3 ({options.IndependentPairs} interleaved pairs, 95% bootstrap interval). Output check: the benchmark's stdout equal to the -O3 baseline's. " +
            "The arm that runs first alternates: search first on the first, third, ... row, random first on the others.");
        text.AppendLine();
        foreach (var r in rows)
            text.AppendLine($"- {r.Project.Name}: {r.Project.Repository} at {r.Project.Commit}, `{r.Project.CommandLine}` ({r.Project.Benchmark}).");
        text.AppendLine();
        text.AppendLine("| project | search: pinned | speedup [95% CI] | random: pinned | speedup [95% CI] | cand./min search | cand./min random | build s / timed cand. search | build s / timed cand. random | -O3 full rebuild s | search's build s / rebuild |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Project.Name} | {PinnedCell(r.Search)} | {SpeedupCell(r.Search)} | {PinnedCell(r.Random)} | {SpeedupCell(r.Random)} | " +
                $"{r.Search.Outcome.Cost?.CandidatesPerMinute:0.0} | {r.Random.Outcome.Cost?.CandidatesPerMinute:0.0} | {PerTimed(r.Search)} | {PerTimed(r.Random)} | {r.RebuildSeconds:0.0} | {r.Search.BuildSecondsPerTimed / r.RebuildSeconds:0.00} |"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| **geometric mean** | | **{GeoMean(rows.Select(r => r.Search)):0.000}x** | | **{GeoMean(rows.Select(r => r.Random)):0.000}x** | | | | | | |"));
        text.AppendLine();
        // AP2011 (no hot file found, every file tuned) or noise warnings explain a row's cost; docs/diagnostics.md has each code.
        text.AppendLine("Warnings of the sessions (search / random): " + string.Join("; ", rows.Select(r =>
            $"{r.Project.Name} {Codes(r.Search)} / {Codes(r.Random)}")) + ".");
        return text.ToString();
    }

    private static string PinnedCell(RealArm arm) =>
        arm.Outcome.Flags.Count == 0 ? "baseline"
        : $"`{string.Join(' ', arm.Outcome.Flags)}` on " + (arm.Files.Count == 0 ? "every file" : string.Join(", ", arm.Files.Select(f => $"`{f}`")));

    /// <summary>Build seconds per timed candidate, or "none timed" for a session that timed none.</summary>
    private static string PerTimed(RealArm arm) =>
        double.IsNaN(arm.BuildSecondsPerTimed) ? "none timed" : arm.BuildSecondsPerTimed.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Codes(RealArm arm) => arm.WarningCodes.Count == 0 ? "none" : string.Join(", ", arm.WarningCodes);

    private static string SpeedupCell(RealArm arm) =>
        arm.Outcome.Independent is { Pairs: 0 } ? "1.000x (the -O3 binary)"
        : arm.Outcome.Independent is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.Speedup:0.000}x [{v.Low:0.000}, {v.High:0.000}]") : "-";

    private static double GeoMean(IEnumerable<RealArm> arms)
    {
        var logs = arms.Where(a => a.Outcome.Independent is not null).Select(a => Math.Log(a.Outcome.Independent!.Speedup)).ToList();
        return logs.Count == 0 ? double.NaN : Math.Exp(logs.Average());
    }
}

/// <summary>A quiet sink that keeps the codes a session warned with, in the order first seen.</summary>
internal sealed class WarningCodes : IDiagnosticSink
{
    private readonly List<string> _codes = [];

    public IReadOnlyList<string> Codes => _codes;

    public void Warning(string code, string message)
    {
        if (!_codes.Contains(code)) _codes.Add(code);
    }

    public void Info(string message) { }
    public void Detail(string message) { }
    public void Progress(string status, string line) { }
}
