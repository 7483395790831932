using System.Globalization;
using System.Text;
using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Pinning;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Bench;

/// <summary>One scope's session on bench/realsize and how its pinned set fared when built and measured independently.</summary>
internal sealed record RealSizeArm(string Scope, SearchOutcome Outcome, IReadOnlyList<string> HotFiles, double MedianBuildSeconds);

/// <summary>
/// The real-size row (issue 14): bench/realsize tuned with the same budget and seed twice, hot files only
/// (AutoPassTuneScope=hot, the default) and the whole project, then each pinned set built the way a user's plain build
/// does (the written autopass.cmake as CMAKE_PROJECT_INCLUDE, per-file flags included) and timed against a fresh -O3.
/// </summary>
internal static class RealSizeRow
{
    public const string Program = "realsize";

    public static async Task<string> RunAsync(string repo, string work, BenchOptions options, IDiagnosticSink sink)
    {
        string source = Path.Combine(repo, "bench", Program);
        var arms = new List<RealSizeArm>();
        foreach (var scope in new[] { TuneScope.Hot, TuneScope.Project })
        {
            string name = scope.ToString().ToLowerInvariant();
            var (outcome, result) = await SuiteRunner.TuneAndMeasurePinnedAsync(source, Path.Combine(work, Program, name), Path.Combine(work, Program, "independent-" + name),
                new BenchmarkSpec(Program, []), SearchMode.Bandit, options, sink, r => r with { TuneScope = scope, Generator = "Ninja" });
            var independent = outcome.Independent!;
            var builds = result.Findings.Trials.Where(t => t.BuildSeconds is not null).Select(t => t.BuildSeconds!.Value).ToList();
            var arm = new RealSizeArm(name, outcome,
                result.Lock.Files?.Select(f => f.Path).ToList() ?? [], builds.Count == 0 ? double.NaN : RobustSpread.Median(builds));
            Console.Error.WriteLine($"{Program} [{name}]: {string.Join(' ', outcome.Flags)} on {(arm.HotFiles.Count == 0 ? "every file" : string.Join(", ", arm.HotFiles))} -> {independent}; {outcome.Cost}; median build {arm.MedianBuildSeconds:0.0} s");
            arms.Add(arm);
        }
        return Render(arms, options);
    }

    private static string Render(IReadOnlyList<RealSizeArm> arms, BenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"bench/realsize (35 translation units, C++): bandit search, race size {options.RaceSize}, {options.MaxMinutesPerSession:0.#} search minutes and at most {options.Trials} trials per session, seed {options.Seed}; " +
            $"the pinned autopass.cmake built fresh and timed against a fresh -O3 ({options.IndependentPairs} interleaved pairs, 95% bootstrap interval).");
        text.AppendLine();
        text.AppendLine("| scope | pinned flags | on files | speedup [95% CI] | measured candidates | cand./min | candidate builds | median build s | wall s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var a in arms)
        {
            var o = a.Outcome;
            var v = o.Independent!;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {a.Scope} | `{(o.Flags.Count == 0 ? "(baseline)" : string.Join(' ', o.Flags))}` | {(a.HotFiles.Count == 0 ? "all" : string.Join(", ", a.HotFiles))} | {v.Speedup:0.000}x [{v.Low:0.000}, {v.High:0.000}] | " +
                $"{o.Cost?.MeasuredCandidates} | {o.Cost?.CandidatesPerMinute:0.0} | {o.Cost?.Builds} | {a.MedianBuildSeconds:0.0} | {o.WallSeconds:0} |"));
        }
        if (arms is [var hot, var project] && hot.Outcome.Cost is { } h && project.Outcome.Cost is { } p)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Hot / project: {(p.CandidatesPerMinute > 0 ? $"{h.CandidatesPerMinute / p.CandidatesPerMinute:0.0}x" : "∞ (project measured none)")} the measured candidates per search minute; " +
                $"a candidate build in {hot.MedianBuildSeconds / project.MedianBuildSeconds:0.000} of a full rebuild's seconds (medians)."));
        }
        return text.ToString();
    }
}
