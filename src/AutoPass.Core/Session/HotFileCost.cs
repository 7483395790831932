using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers.Profiling;

namespace AutoPass.Core.Session;

/// <summary>
/// What a hot file costs each candidate: every candidate recompiles every hot file, so a file with a small share of the
/// run time and a long compile (a big options parser, a table file) can cost more search than it can pay back. The
/// hot set keeps a file only when it raises the share of the run time tuned per second a candidate takes (its hot
/// files' compile and its timing), the rate at which a search meets the program's time. The build slots are chosen the
/// same way: another slot's tree costs one build of the whole project, and pays only when building candidates at once
/// saves more than that over the search.
/// </summary>
internal static class HotFileCost
{
    /// <summary>Pairs a race typically times an entrant in (4-6 in the real-project runs, more on a noisy machine).</summary>
    internal const int TypicalPairs = 6;

    /// <summary>The files kept, those left with the baseline flags for their compile time, and the build slots.</summary>
    /// <param name="ExtraTreeSeconds">What the slots' trees beyond the baseline's cost before their first candidate (their whole-project builds).</param>
    internal sealed record Pruned(IReadOnlyList<HotFile> Kept, IReadOnlyList<(HotFile File, double CompileSeconds)> LeftOut, int Slots = 1,
        double CandidateSeconds = 0, double ExtraTreeSeconds = 0);

    /// <summary>
    /// A candidate's seconds besides its hot files' compiles: relinking the benchmarks' programs and timing it; the
    /// compiles of one build run on <paramref name="Cores"/> at once (Ninja's parallel jobs).
    /// </summary>
    internal sealed record CandidateCost(double LinkSeconds, double TimingSeconds, int Cores)
    {
        /// <summary>
        /// Seconds a candidate takes when <paramref name="slots"/> candidates are built at once, each compiling files of
        /// these compile seconds and relinking: the group takes its longest compile and link, or all of its work over the
        /// cores when that is longer, and each candidate is then timed.
        /// </summary>
        public double Seconds(IEnumerable<double> compiles, int slots)
        {
            double sum = 0, longest = 0;
            foreach (double c in compiles) (sum, longest) = (sum + c, Math.Max(longest, c));
            slots = Math.Max(1, slots);
            double group = Math.Max(longest + LinkSeconds, slots * (sum + LinkSeconds) / Math.Max(1, Cores));
            return group / slots + TimingSeconds;
        }
    }

    /// <summary>What the search may spend: candidates to measure, and the seconds left for it (null: no time limit).</summary>
    internal sealed record SearchHorizon(int MaxCandidates, double? Seconds);

    /// <summary>
    /// <paramref name="pool"/> pruned for the baseline's build (<see cref="Choose"/>), or kept whole with
    /// <paramref name="maxSlots"/> when that build left no Ninja log naming every file's object files (another
    /// generator): then the share alone decides.
    /// </summary>
    /// <param name="commands">The baseline tree's compile commands, which name each file's object files.</param>
    /// <param name="maxSlots">The most build slots (one per core, at most four), or the user's AutoPassBuildSlots.</param>
    /// <param name="slotsFixed">True when the user set the slots: only the files are chosen.</param>
    public static Pruned For(IReadOnlyList<HotFile> pool, BaselineReference baseline, IReadOnlyList<CompileCommands.Entry> commands, int maxSlots, bool slotsFixed,
        SearchHorizon horizon)
    {
        var durations = NinjaLog.Durations(baseline.Build.BuildDirectory);
        var objects = commands.ToLookup(e => e.File, e => e.Output, StringComparer.Ordinal);
        var compileSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var file in pool)
        {
            var outputs = objects[file.File].ToList();
            if (outputs.Count == 0 || outputs.Any(o => !durations.ContainsKey(o))) return new Pruned(pool, [], maxSlots);
            compileSeconds[file.File] = outputs.Sum(o => durations[o]);
        }
        var cost = new CandidateCost(baseline.Build.Executables.Values.Sum(e => durations.GetValueOrDefault(Path.GetFullPath(e))),
            2 * TypicalPairs * baseline.ReferenceSeconds.Values.Sum(), Environment.ProcessorCount);
        // Every output of the baseline's build, each for as long as Ninja took to make it: the work of a tree's first build.
        double wholeBuild = durations.Values.Sum();
        return Choose(pool, compileSeconds, cost, wholeBuild, slotsFixed ? [maxSlots] : Enumerable.Range(1, Math.Max(1, maxSlots)), horizon);
    }

    /// <summary>
    /// For each slot count of <paramref name="slotChoices"/>, the files worth their compile (<see cref="Prune"/>); then the
    /// slot count whose search meets the most of the run time: the kept share times the candidates the horizon has room
    /// for, once the extra slots' trees are built (<paramref name="wholeBuildSeconds"/> of work each, over the cores). On
    /// a tie (the trial limit binds), the one that spends the least time; then the fewest slots.
    /// </summary>
    public static Pruned Choose(IReadOnlyList<HotFile> pool, IReadOnlyDictionary<string, double> compileSeconds, CandidateCost cost, double wholeBuildSeconds,
        IEnumerable<int> slotChoices, SearchHorizon horizon)
    {
        Pruned? best = null;
        double bestScore = double.NegativeInfinity, bestTime = double.PositiveInfinity;
        foreach (int slots in slotChoices)
        {
            var pruned = Prune(pool, compileSeconds, cost, slots);
            double seconds = cost.Seconds(pruned.Kept.Select(f => compileSeconds[f.File]), slots);
            double extra = (slots - 1) * wholeBuildSeconds / Math.Max(1, cost.Cores);
            double candidates = horizon.Seconds is { } limit ? Math.Min(horizon.MaxCandidates, Math.Max(0, limit - extra) / seconds) : horizon.MaxCandidates;
            double score = pruned.Kept.Sum(f => f.Share) * candidates, time = extra + candidates * seconds;
            bool tie = Math.Abs(score - bestScore) <= 1e-9 * Math.Max(1, Math.Abs(score));
            if ((!tie && score > bestScore) || (tie && time < bestTime - 1e-9))
            {
                (best, bestScore, bestTime) = (pruned with { CandidateSeconds = seconds, ExtraTreeSeconds = extra }, score, time);
            }
        }
        return best ?? throw new ArgumentException("no slot count to choose from", nameof(slotChoices));
    }

    /// <summary>
    /// Goes through <paramref name="pool"/> hottest first and keeps a file when the kept files' share per second of a
    /// candidate rises with it (the hottest is always kept), with <paramref name="slots"/> candidates built at once.
    /// </summary>
    public static Pruned Prune(IReadOnlyList<HotFile> pool, IReadOnlyDictionary<string, double> compileSeconds, CandidateCost cost, int slots)
    {
        var kept = new List<HotFile>();
        var leftOut = new List<(HotFile, double)>();
        double share = 0;
        double Seconds(IEnumerable<HotFile> files) => Math.Max(cost.Seconds(files.Select(f => compileSeconds[f.File]), slots), 1e-3);
        foreach (var file in pool)
        {
            if (kept.Count == 0 || (share + file.Share) / Seconds(kept.Append(file)) >= share / Seconds(kept))
            {
                kept.Add(file);
                share += file.Share;
            }
            else leftOut.Add((file, compileSeconds[file.File]));
        }
        return new Pruned(kept, leftOut, slots);
    }
}
