using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Pinning;

/// <summary>
/// Decides what gets pinned from the session's trials: the winner only when its fresh confirmation is
/// confidently faster; otherwise the baseline, saying why. The figures are always the confirmation's.
/// </summary>
internal static class LockFileBuilder
{
    public static LockFile Build(SessionFindings findings)
    {
        var (request, compiler, minEffect, trialsUsed, agents) = (findings.Request, findings.Compiler, findings.MinEffect, findings.TrialsUsed, findings.Agents);
        var (winner, confirmation) = (findings.Conclusion.Winner, findings.Conclusion.Confirmation);
        var attribution = findings.Conclusion.Minimized?.Attribution ?? [];
        bool confirmed = confirmation?.Verdict?.Decision == SpeedupDecision.Faster && confirmation.SlowsNoBenchmark();
        // A winner that screening left undecided was confirmed as the closest candidate, not as a screened winner.
        bool screenedFaster = winner?.Verdict?.Decision == SpeedupDecision.Faster;
        string reason =
            winner is null && findings.Cost.MeasuredCandidates == 0 ? "No candidate was timed against the baseline."
            : winner is null ? $"No candidate was faster than the baseline by at least {minEffect * 100:0.##}% with {request.Confidence * 100:0.##}% confidence in {trialsUsed} trials."
            : confirmed && screenedFaster ? $"Trial {winner.Trial} was faster in screening and again in a fresh confirmation run."
            : confirmed ? $"Trial {winner.Trial} came closest in screening (undecided) and was faster in a fresh confirmation run."
            : $"Trial {winner.Trial} {(screenedFaster ? "looked faster" : "came closest")} in screening but the fresh confirmation run did not confirm it ({confirmation?.Verdict?.ToString() ?? (confirmation is null ? null : Ledger.EnumText(confirmation.OutputCheck))})";

        // A winner of link-time optimization alone changes no file's flags: it is pinned for the whole project.
        bool perFile = confirmed && findings.HotFiles is { Count: > 0 } && AutoPass.Core.Build.LinkTimeFlags.Split(confirmation!.Flags).Files.Count > 0;
        return new LockFile
        {
            Tool = new LockTool("AutoPass", AutoPass.Core.Workload.ToolVersion.Current),
            Compiler = new LockCompiler(compiler.Id, compiler.Version.ToNormalizedString(), compiler.PinnedRange.ToNormalizedString()),
            Machine = MachineDescription.Current(),
            Baseline = new LockBaseline(request.BaselineFlags),
            Flags = confirmed ? confirmation!.Flags : [],
            BuildTypes = request.BuildTypes,
            Scope = perFile ? "hot" : null,
            Files = perFile && findings.HotFiles is { } hot
                ? hot.Select(f => new LockSourceFile(f.Path, AutoPass.Core.Build.LinkTimeFlags.Split(confirmation!.Flags).Files, LockSourceFile.HashOf(Path.Combine(request.SourceDir, f.Path)), Math.Round(f.Share, 4),
                    LockSourceFile.CodeHashOf(Path.Combine(request.SourceDir, f.Path)))).ToList()
                : null,
            Attribution = confirmed && attribution.Count > 0
                ? attribution.Select(a => new LockAttribution(a.Flag, Math.Round(a.Speedup, 4), Math.Round(a.Low, 4), Math.Round(a.High, 4))).ToList()
                : null,
            Outcome = confirmed ? "improved" : "baseline",
            Reason = reason,
            Policy = new LockPolicy(request.AllowUnsafeMath, request.AllowMachineSpecific),
            Objective = request.Objective == MeasurementObjective.Instructions ? "instructions (valgrind; a proxy for time)" : "time",
            Speedup = confirmed ? ToLock(confirmation!.Verdict!) with { Regimes = Regimes(confirmation), RegimeNote = confirmation.RegimeNote } : null,
            Benchmarks = request.Benchmarks.Select(b => new LockBenchmark(b.Target, b.Arguments,
                confirmed ? confirmation!.Benchmarks.FirstOrDefault(m => m.Benchmark == b.DisplayName)?.Verdict is { } v ? ToLock(v) : null : null)).ToList(),
            Trials = trialsUsed,
            Agents = agents,
            Search = findings.Cost is var c ? new LockSearch(c.MeasuredCandidates, c.Races, c.MedianPairs, c.Builds, c.BuildSeconds, c.SearchSeconds) : null,
        };
    }

    private static IReadOnlyList<LockRegime>? Regimes(TrialRecord confirmation) =>
        confirmation.Regimes?.Select(r => new LockRegime(r.FirstPair, r.LastPair, Math.Round(r.Speedup, 4), Math.Round(r.Low, 4), Math.Round(r.High, 4),
            Math.Round(r.BaselineSeconds, 6), r.BaselineCpuSeconds is { } bc ? Math.Round(bc, 6) : null, Math.Round(r.CandidateSeconds, 6),
            r.CandidateCpuSeconds is { } cc ? Math.Round(cc, 6) : null, r.Claimed)).ToList();

    private static LockSpeedup ToLock(SpeedupVerdict v) =>
        new(Math.Round(v.Speedup, 4), Math.Round(v.Low, 4), Math.Round(v.High, 4), v.Confidence, v.Pairs);
}
