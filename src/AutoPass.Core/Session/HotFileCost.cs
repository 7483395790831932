using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers.Profiling;

namespace AutoPass.Core.Session;

/// <summary>
/// What a hot file costs each candidate: every candidate recompiles every hot file, so a file with a small share of the
/// run time and a long compile (a big options parser, a table file) can cost more search than it can pay back. The
/// hot set keeps a file only when it raises the share of the run time tuned per second a candidate takes (its hot
/// files' compile and its timing), the rate at which a search meets the program's time.
/// </summary>
internal static class HotFileCost
{
    /// <summary>Pairs a race typically times an entrant in (4-6 in the real-project runs, more on a noisy machine).</summary>
    internal const int TypicalPairs = 6;

    /// <summary>The files kept and those left with the baseline flags for their compile time.</summary>
    internal sealed record Pruned(IReadOnlyList<HotFile> Kept, IReadOnlyList<(HotFile File, double CompileSeconds)> LeftOut);

    /// <summary>
    /// <paramref name="pool"/> pruned for the baseline's build (<see cref="Prune"/>), or kept whole when that build left no
    /// Ninja log naming every file's object files (another generator): then the share alone decides.
    /// </summary>
    /// <param name="commands">The baseline tree's compile commands, which name each file's object files.</param>
    public static Pruned For(IReadOnlyList<HotFile> pool, BaselineReference baseline, IReadOnlyList<CompileCommands.Entry> commands, int slots)
    {
        var durations = NinjaLog.Durations(baseline.Build.BuildDirectory);
        var objects = commands.ToLookup(e => e.File, e => e.Output, StringComparer.Ordinal);
        var compileSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var file in pool)
        {
            var outputs = objects[file.File].ToList();
            if (outputs.Count == 0 || outputs.Any(o => !durations.ContainsKey(o))) return new Pruned(pool, []);
            compileSeconds[file.File] = outputs.Sum(o => durations[o]);
        }
        // Besides its hot files' compiles, a candidate relinks the benchmarks' programs and is timed in pairs of runs.
        double fixedSeconds = baseline.Build.Executables.Values.Sum(e => durations.GetValueOrDefault(Path.GetFullPath(e)))
            + 2 * TypicalPairs * baseline.ReferenceSeconds.Values.Sum();
        return Prune(pool, compileSeconds, fixedSeconds, slots);
    }

    /// <summary>
    /// Goes through <paramref name="pool"/> hottest first and keeps a file when the kept files' share per second of a
    /// candidate rises with it (the hottest is always kept). A candidate's compiles run <paramref name="slots"/> at a time
    /// (one candidate per build slot), so each file costs its compile seconds over the slots.
    /// </summary>
    public static Pruned Prune(IReadOnlyList<HotFile> pool, IReadOnlyDictionary<string, double> compileSeconds, double fixedSeconds, int slots)
    {
        var kept = new List<HotFile>();
        var leftOut = new List<(HotFile, double)>();
        double share = 0, seconds = Math.Max(fixedSeconds, 1e-3);
        foreach (var file in pool)
        {
            double compile = compileSeconds[file.File];
            double cost = compile / Math.Max(1, slots);
            if (kept.Count == 0 || (share + file.Share) / (seconds + cost) >= share / seconds)
            {
                kept.Add(file);
                share += file.Share;
                seconds += cost;
            }
            else leftOut.Add((file, compile));
        }
        return new Pruned(kept, leftOut);
    }
}
