using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Session;

/// <summary>
/// Drops every flag of the winner whose removal does not cost a confirmed loss: the set without the flag is
/// measured head to head against the current set, and the flag stays only when removing it is confidently
/// slower. Users want the shortest flag set that keeps the gain.
/// </summary>
internal sealed class WinnerMinimization(TrialEvaluator evaluator, IDiagnosticSink sink)
{
    public async Task<MinimizedWinner> MinimizeAsync(TrialRecord winner, int firstTrialNumber, int seed, CancellationToken ct)
    {
        var current = winner.Flags.ToList();
        var trials = new List<TrialRecord>();
        var attribution = new Dictionary<string, FlagAttribution>(StringComparer.Ordinal);
        int number = firstTrialNumber;
        if (current.Count < 2) return new MinimizedWinner(current, [], trials);

        foreach (var flag in winner.Flags)
        {
            if (current.Count < 2) break;
            var without = current.Where(f => f != flag).ToList();
            var reference = await evaluator.BuildAsync(current, ct);
            if (!reference.Succeeded) break;
            var trial = await evaluator.EvaluateAsync(number++, new Candidate(without, "minimize", $"is {flag} needed? the set without it, head to head against the set with it"),
                TrialPhase.Minimize, seed + number, ct, reference) with { ComparedWith = current };
            trials.Add(trial);
            // Removing the flag is harmless unless the set without it is confidently slower.
            bool needed = trial.ShowsRemovedFlagNeeded();
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
}
