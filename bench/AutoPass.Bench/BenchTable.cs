using System.Text;
using AutoPass.Core.Statistics;

namespace AutoPass.Bench;

/// <summary>The results table: per program the independently measured speedup of what each search pinned, and the geometric means.</summary>
internal static class BenchTable
{
    public static string Render(IReadOnlyList<BenchRow> rows, BenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"Budget {options.Trials} trials per program and search, seed {options.Seed}; speedups over -O3 measured independently afterwards ({options.IndependentPairs} fresh interleaved pairs, 95% bootstrap interval).");
        text.AppendLine();
        text.AppendLine("| program | AutoPass flags | AutoPass speedup [95% CI] | trials | wall s | random-search speedup [95% CI] | trials | wall s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            text.AppendLine($"| {r.Program} | `{Flags(r.Tuned)}` | {Cell(r.Tuned)} | {r.Tuned?.Trials} | {r.Tuned?.WallSeconds:0} | {Cell(r.Random)} | {r.Random?.Trials} | {r.Random?.WallSeconds:0} |");
        text.AppendLine($"| **geometric mean** | | **{GeoMean(rows.Select(r => r.Tuned)):0.000}x** | | | **{GeoMean(rows.Select(r => r.Random)):0.000}x** | | |");
        int slower = rows.Count(r => r.Tuned?.Independent?.Decision == SpeedupDecision.Slower);
        text.AppendLine();
        text.AppendLine($"Programs confidently slower than -O3 with AutoPass's flags: {slower}.");
        text.AppendLine();
        text.AppendLine($"Search cost per session (race size {options.RaceSize}): candidates timed per search minute, median pairs per timed candidate, builds.");
        text.AppendLine();
        bool compared = rows.Any(r => r.OneAtATime is not null);
        text.AppendLine(compared
            ? "| program | AutoPass cand./min | median pairs | builds | one at a time cand./min | median pairs | builds | one at a time speedup [95% CI] | random cand./min |"
            : "| program | AutoPass cand./min | median pairs | builds | random cand./min |");
        text.AppendLine(compared ? "|---|---|---|---|---|---|---|---|---|" : "|---|---|---|---|---|");
        foreach (var r in rows)
            text.AppendLine(compared
                ? $"| {r.Program} | {Rate(r.Tuned)} | {r.Tuned?.Cost?.MedianPairs:0.#} | {r.Tuned?.Cost?.Builds} | {Rate(r.OneAtATime)} | {r.OneAtATime?.Cost?.MedianPairs:0.#} | {r.OneAtATime?.Cost?.Builds} | {Cell(r.OneAtATime)} | {Rate(r.Random)} |"
                : $"| {r.Program} | {Rate(r.Tuned)} | {r.Tuned?.Cost?.MedianPairs:0.#} | {r.Tuned?.Cost?.Builds} | {Rate(r.Random)} |");
        if (compared)
            text.AppendLine($"| **total** | **{TotalRate(rows.Select(r => r.Tuned)):0.0}** | | | **{TotalRate(rows.Select(r => r.OneAtATime)):0.0}** | | | **{GeoMean(rows.Select(r => r.OneAtATime)):0.000}x** | **{TotalRate(rows.Select(r => r.Random)):0.0}** |");
        return text.ToString();
    }

    private static string Flags(SearchOutcome? o) => o is null || o.Flags.Count == 0 ? "(baseline)" : string.Join(' ', o.Flags);

    private static string Cell(SearchOutcome? o) =>
        o?.Independent is { } v ? $"{v.Speedup:0.000}x [{v.Low:0.000}, {v.High:0.000}]" : "-";

    private static string Rate(SearchOutcome? o) => o?.Cost is { } c ? $"{c.CandidatesPerMinute:0.0}" : "-";

    /// <summary>Candidates timed per search minute over all sessions of one arm.</summary>
    private static double TotalRate(IEnumerable<SearchOutcome?> outcomes)
    {
        var costs = outcomes.Where(o => o?.Cost is not null).Select(o => o!.Cost!).ToList();
        double minutes = costs.Sum(c => c.SearchSeconds) / 60;
        return minutes <= 0 ? 0 : costs.Sum(c => c.MeasuredCandidates) / minutes;
    }

    private static double GeoMean(IEnumerable<SearchOutcome?> outcomes)
    {
        var values = outcomes.Where(o => o?.Independent is not null).Select(o => Math.Log(o!.Independent!.Speedup)).ToList();
        return values.Count == 0 ? double.NaN : Math.Exp(values.Average());
    }
}
