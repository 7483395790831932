using AutoPass.Core.Check;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Session;

/// <summary>
/// Screening verdicts are optimistic for the best of many candidates, so the winner is minimized and then
/// measured afresh against the baseline; only that confirmation's figures are pinned and reported.
/// </summary>
internal sealed class WinnerConfirmation(TrialEvaluator evaluator, IDiagnosticSink sink, int seed)
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
            minimized = await new WinnerMinimization(evaluator, sink).MinimizeAsync(winner, number, seed * 31 + 7, ct);
            trials.AddRange(minimized.Trials);
            number += minimized.Trials.Count;
        }
        var flags = minimized?.Flags ?? winner.Flags;
        sink.Info($"confirming {string.Join(' ', flags)} in a fresh measurement");
        var confirmation = await evaluator.EvaluateAsync(number++, new Candidate(flags, "confirm", $"fresh measurement of trial {winner.Trial}" + (minimized is null ? "" : ", minimized")), TrialPhase.Confirm, seed * 7919 + 17, ct) with { Confirms = winner.Trial };
        trials.Add(confirmation);
        if (confirmation.Verdict?.Decision != SpeedupDecision.Faster && !flags.SequenceEqual(winner.Flags))
        {
            // Minimizing decides on noisy head-to-head runs; if the short set does not confirm, the full winner still may.
            sink.Info($"the minimized set did not confirm; confirming the full winner {string.Join(' ', winner.Flags)}");
            minimized = null;
            confirmation = await evaluator.EvaluateAsync(number, new Candidate(winner.Flags, "confirm", $"fresh measurement of trial {winner.Trial}"), TrialPhase.Confirm, seed * 7919 + 29, ct) with { Confirms = winner.Trial };
            trials.Add(confirmation);
        }
        return new Conclusion(winner, minimized, confirmation, trials);
    }

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
