using AutoPass.Core.Check;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Racing;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Session;

/// <summary>
/// Screening verdicts are optimistic for the best of many candidates, so the winner is minimized and then
/// measured afresh against the baseline; only that confirmation's figures are pinned and reported. The confirmation's
/// pairs are a time series: when the effect moved during it, it is extended while the budget allows, and when the
/// effect stays unstable the claim is the conservative regime's (<see cref="RegimeAwareConfirmation"/>).
/// </summary>
/// <param name="statistics">The session's statistics (as calibrated): the confirmation's regimes are judged by them.</param>
/// <param name="timeLeft">The time left of the budget, if it has a limit: an extension must fit in it.</param>
internal sealed class WinnerConfirmation(TrialEvaluator evaluator, IDiagnosticSink sink, int seed, StatisticsOptions? statistics = null, Func<TimeSpan?>? timeLeft = null)
{
    public async Task<Conclusion> ConcludeAsync(IReadOnlyList<TrialRecord> screened, int firstTrialNumber, CancellationToken ct)
    {
        var winner = PickWinner(screened);
        if (winner is null && PickPromising(screened) is { } promising)
        {
            // On a noisy machine screening's capped race often ends undecided on a real gain; one fresh, full-length
            // measurement of the closest candidate is a single test, so it claims no more often than the confidence allows.
            sink.Info($"no candidate was shown faster in screening; trial {promising.Trial} came closest ({promising.Verdict}), so it gets the full fresh measurement");
            winner = promising;
        }
        if (winner is null) return new Conclusion(null, null, null, []);

        var trials = new List<TrialRecord>();
        int number = firstTrialNumber;
        MinimizedWinner? minimized = null;
        if (winner.Flags.Count > 1)
        {
            sink.Info($"minimizing {string.Join(' ', winner.Flags)}: dropping flags whose removal costs no confirmed loss");
            minimized = await new WinnerMinimization(evaluator, sink).MinimizeAsync(winner, screened, number, seed * 31 + 7, ct);
            trials.AddRange(minimized.Trials);
            number += minimized.Trials.Count;
        }
        var flags = minimized?.Flags ?? winner.Flags;
        sink.Info($"confirming {string.Join(' ', flags)} in a fresh measurement");
        var candidate = new Candidate(flags, "confirm", $"fresh measurement of trial {winner.Trial}" + (minimized is null ? "" : ", minimized"));
        var confirmation = await ConfirmAsync(number++, candidate, seed * 7919 + 17, ct) with { Confirms = winner.Trial };
        trials.Add(confirmation);
        if (confirmation.Verdict?.Decision != SpeedupDecision.Faster && !flags.SequenceEqual(winner.Flags))
        {
            // Minimizing decides on noisy head-to-head runs; if the short set does not confirm, the full winner still may.
            // The full set then keeps only flags that change its binaries: one that builds the same program without it is a no-op.
            var (full, pruning) = await new WinnerMinimization(evaluator, sink).DropNoOpsAsync(winner.Flags, WinnerMinimization.IdenticalRemovals(minimized!.Trials), number, ct);
            trials.AddRange(pruning);
            number += pruning.Count;
            minimized = full.Count < winner.Flags.Count ? new MinimizedWinner(full, [], minimized.Trials.Concat(pruning).ToList()) : null;
            sink.Info($"the minimized set did not confirm; confirming the full winner {string.Join(' ', full)}" +
                (minimized is null ? "" : $" (trial {winner.Trial} without the flags that build identical binaries)"));
            confirmation = await ConfirmAsync(number, new Candidate(full, "confirm", $"fresh measurement of trial {winner.Trial}" + (minimized is null ? "" : ", without its no-op flags")),
                seed * 7919 + 29, ct) with { Confirms = winner.Trial };
            trials.Add(confirmation);
        }
        return new Conclusion(winner, minimized, confirmation, trials);
    }

    /// <summary>
    /// One fresh measurement of <paramref name="candidate"/>, then its regimes: when the effect moved, the measurement is
    /// extended by another of the same length if the time left holds one more (as long as the first took); when it stays
    /// unstable, the verdict becomes the conservative regime's, the regimes go into the record, and AP2030 says so.
    /// </summary>
    private async Task<TrialRecord> ConfirmAsync(int trial, Candidate candidate, int measurementSeed, CancellationToken ct)
    {
        var record = await evaluator.EvaluateAsync(trial, candidate, TrialPhase.Confirm, measurementSeed, ct);
        if (statistics is null || record.Verdict is null || record.Benchmarks.Count == 0) return record;
        double seconds = record.ElapsedSeconds;
        var (pairs, analysis, extensions) = await RegimeAwareConfirmation.MeasureAsync(record.Benchmarks,
            async extension =>
            {
                var more = await evaluator.EvaluateAsync(trial, candidate, TrialPhase.Confirm, measurementSeed + 1 + extension, ct);
                seconds += more.ElapsedSeconds;
                return more.Verdict is null ? null : more.Benchmarks;
            },
            statistics, mayExtend: () => TimeHolds(record.ElapsedSeconds),
            extending: moved => sink.Info($"the effect moved during the confirmation of {string.Join(' ', candidate.Flags)} ({moved.Explain()}); extending it with another {record.Verdict.Pairs} pairs"));
        // Held still from the start: the confirmation's own verdict stands.
        if (extensions == 0 && !analysis.Moved) return record;
        if (!analysis.Moved) sink.Info($"the extended confirmation of {string.Join(' ', candidate.Flags)} held still over its {analysis.Conservative.Pairs} pairs");
        record = record with { Benchmarks = pairs, ElapsedSeconds = seconds };
        var claim = RegimeAwareConfirmation.Claim(analysis);
        record = record with
        {
            Verdict = claim.ToSummary(),
            Benchmarks = record.Benchmarks.Select(b => b with { Verdict = claim.Benchmarks.First(v => v.Name == b.Benchmark).Verdict }).ToList(),
        };
        if (!analysis.Moved) return record;
        var conservative = analysis.Conservative;
        string note = analysis.Explain();
        sink.Warning(DiagnosticCode.EffectMoved,
            $"the effect of {string.Join(' ', candidate.Flags)} moved during its confirmation and stayed unstable: " +
            string.Join(", ", analysis.Regimes.Select(r => $"{r.Span} {r.Verdict.Speedup:0.000}x [{r.Verdict.Low:0.000}, {r.Verdict.High:0.000}]")) +
            $"; {note}. The claim is the conservative regime's ({conservative.Span}, {claim.Speedup:0.000}x [{claim.Low:0.000}, {claim.High:0.000}]). " +
            "Tune on a quieter machine, or recheck the claim there");
        return record with
        {
            RegimeNote = note,
            Regimes = analysis.Regimes.Select(r => new ConfirmationRegime(r.FirstPair, r.LastPair, r.Verdict.Speedup, r.Verdict.Low, r.Verdict.High,
                r.Baseline.WallSeconds, r.Baseline.CpuSeconds, r.Candidate.WallSeconds, r.Candidate.CpuSeconds, ReferenceEquals(r, conservative))).ToList(),
        };
    }

    /// <summary>Whether the budget holds another measurement as long as <paramref name="seconds"/> (always, without a time limit).</summary>
    private bool TimeHolds(double seconds) => timeLeft?.Invoke() is not { } left || left.TotalSeconds >= seconds;

    /// <summary>The screened candidate with the best lower bound that is confidently faster and slows no benchmark down.</summary>
    internal static TrialRecord? PickWinner(IEnumerable<TrialRecord> trials) =>
        BestLowerBound(trials.Where(t => t.Phase == TrialPhase.Screen && t.Verdict?.Decision == SpeedupDecision.Faster));

    /// <summary>
    /// When none is confidently faster: the screened candidate with the best lower bound among those whose estimate
    /// is at least 1+δ and whose interval was still open when screening's pairs ran out (undecided, not futile).
    /// </summary>
    internal static TrialRecord? PickPromising(IEnumerable<TrialRecord> trials) =>
        BestLowerBound(trials
            .Where(t => t.Phase == TrialPhase.Screen && t.BuildStatus == BuildStatus.Ok && t.OutputCheck == OutputCheckStatus.Equal)
            .Where(t => t.Verdict is { Decision: SpeedupDecision.NotFaster or SpeedupDecision.Inconclusive } v
                        && v.Speedup >= 1 + v.MinEffect && v.High >= 1 + v.MinEffect));

    /// <summary>No-regression rule, then the best lower bound, then the fewest flags.</summary>
    private static TrialRecord? BestLowerBound(IEnumerable<TrialRecord> candidates) =>
        candidates
            .Where(t => t.SlowsNoBenchmark())
            .OrderByDescending(t => t.Verdict!.Low)
            .ThenBy(t => t.Flags.Count)
            .FirstOrDefault();
}
