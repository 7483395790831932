using System.Diagnostics;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Session;

/// <summary>
/// Drops every flag of the winner whose removal does not cost a confirmed loss: the set without the flag is
/// measured head to head against the current set, and the flag stays only when removing it is confidently
/// slower, by any amount (<see cref="TrialOutcomes.RemovalCostsSpeed"/>). Users want the shortest flag set that keeps the gain.
/// </summary>
internal sealed class WinnerMinimization(TrialEvaluator evaluator, IDiagnosticSink sink)
{
    /// <param name="screened">The session's screening trials: flags that measured subsets of the winner vouch for are tried last (<see cref="RemovalOrder"/>).</param>
    public async Task<MinimizedWinner> MinimizeAsync(TrialRecord winner, IReadOnlyList<TrialRecord> screened, int firstTrialNumber, int seed, CancellationToken ct)
    {
        var current = winner.Flags.ToList();
        var trials = new List<TrialRecord>();
        var attribution = new Dictionary<string, FlagAttribution>(StringComparer.Ordinal);
        int number = firstTrialNumber;
        if (current.Count < 2) return new MinimizedWinner(current, [], trials);

        foreach (var flag in RemovalOrder(winner.Flags, screened))
        {
            if (current.Count < 2) break;
            var without = current.Where(f => f != flag).ToList();
            var reference = await evaluator.BuildAsync(current, ct);
            if (!reference.Succeeded) break;
            var trial = await evaluator.EvaluateAsync(number++, new Candidate(without, "minimize", $"is {flag} needed? the set without it, head to head against the set with it"),
                TrialPhase.Minimize, seed + number, ct, reference) with { ComparedWith = current };
            // Removing the flag is harmless unless the set without it is confidently slower.
            bool needed = trial.RemovalCostsSpeed();
            trials.Add(trial with { RemovedFlagKept = needed });
            if (needed)
            {
                if (trial.Verdict is { } v) attribution[flag] = new FlagAttribution(flag, 1 / v.Speedup, 1 / v.High, 1 / v.Low);
                sink.Info($"minimize: {flag} stays (without it: {trial.Describe()})");
            }
            else
            {
                current = without;
                attribution.Remove(flag);
                sink.Info($"minimize: {flag} dropped (without it: {trial.Describe()})");
            }
        }
        return new MinimizedWinner(current, current.Where(attribution.ContainsKey).Select(f => attribution[f]).ToList(), trials);
    }

    /// <summary>
    /// The order flags are tried for removal: those no measured part of the winner vouches for first, the one its best
    /// measured part (a proper subset screened on its own, such as the winner a mutation or a parameter started from) holds
    /// last, so it is never the one noise removes (the last flag left is not tried). A flag's voucher is the best estimate of
    /// a screened subset that holds it; ties keep the winner's order.
    /// </summary>
    internal static IReadOnlyList<string> RemovalOrder(IReadOnlyList<string> flags, IEnumerable<TrialRecord> screened)
    {
        var set = flags.ToHashSet(StringComparer.Ordinal);
        var parts = screened.Where(t => t.Phase == TrialPhase.Screen && t.Verdict is not null && t.Flags.Count > 0 && t.Flags.Count < set.Count && t.Flags.All(set.Contains)).ToList();
        double Voucher(string flag) => parts.Where(t => t.Flags.Contains(flag)).Select(t => t.Verdict!.Speedup).DefaultIfEmpty(0).Max();
        return flags.Select((f, i) => (f, i)).OrderBy(x => Voucher(x.f)).ThenBy(x => x.i).Select(x => x.f).ToList();
    }

    /// <summary>The flags whose removal during minimization built binaries identical to the set with them: no-ops in that set.</summary>
    internal static IReadOnlyList<string> IdenticalRemovals(IEnumerable<TrialRecord> minimizeTrials) =>
        minimizeTrials.Where(t => t.Phase == TrialPhase.Minimize && t.BuildStatus == BuildStatus.Reused)
            .SelectMany(t => t.RemovedFlags()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Drops from <paramref name="flags"/> those of <paramref name="suspects"/> whose removal builds byte-identical binaries:
    /// the shorter set is the same program, so a measurement of either holds for both. Builds only, nothing is timed: all
    /// suspects at once first, then one at a time. Minimization's no-ops were found in a shorter set, so each is rechecked here.
    /// </summary>
    public async Task<(IReadOnlyList<string> Flags, IReadOnlyList<TrialRecord> Trials)> DropNoOpsAsync(
        IReadOnlyList<string> flags, IReadOnlyList<string> suspects, int firstTrialNumber, CancellationToken ct)
    {
        var current = flags.ToList();
        var trials = new List<TrialRecord>();
        int number = firstTrialNumber;
        suspects = suspects.Where(current.Contains).ToList();
        if (suspects.Count == 0) return (current, trials);
        // The set's build, kept until a removal changes the set: a kept flag leaves it as it was.
        Build.BuildOutcome? reference = null;

        async Task<bool> IdenticalWithout(IReadOnlyList<string> removed, string rationale)
        {
            var without = current.Where(f => !removed.Contains(f)).ToList();
            reference ??= await evaluator.BuildAsync(current, ct);
            if (!reference.Succeeded || without.Count == 0) return false;
            var prepared = await evaluator.PrepareAsync(number++, new Candidate(without, "minimize", rationale), TrialPhase.Minimize, Stopwatch.StartNew(), ct, reference);
            var trial = prepared.Record with { ComparedWith = current.ToList() };
            // Built but not identical: kept, and not timed (a measurement of the full set follows).
            if (prepared.Ready is not null) trial = trial with { OutputCheckMessage = "binaries differ from the set with the flags: kept, not timed" };
            trials.Add(trial);
            if (trial.BuildStatus != BuildStatus.Reused) return false;
            current = without;
            reference = null;
            return true;
        }

        if (suspects.Count > 1 && suspects.Count < current.Count
            && await IdenticalWithout(suspects, $"are {string.Join(' ', suspects)} no-ops here? the set without them must build identical binaries"))
        {
            sink.Info($"minimize: {string.Join(' ', suspects)} dropped (the set without them builds identical binaries)");
            return (current, trials);
        }
        foreach (var flag in suspects)
        {
            if (current.Count < 2) break;
            if (await IdenticalWithout([flag], $"is {flag} a no-op here? the set without it must build identical binaries"))
                sink.Info($"minimize: {flag} dropped (the set without it builds identical binaries)");
        }
        return (current, trials);
    }
}
