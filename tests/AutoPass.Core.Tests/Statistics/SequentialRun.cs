using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

/// <summary>Drives a <see cref="SequentialSpeedupTest"/> as the session would: one pair at a time until it stops.</summary>
internal static class SequentialRun
{
    public static SpeedupVerdict Until(SequentialSpeedupTest test, IEnumerable<(double Baseline, double Candidate)> pairs) =>
        Until(pairs, test.Look);

    /// <summary>Feeds the pairs one at a time to <paramref name="look"/> until it returns a verdict.</summary>
    public static T Until<T>(IEnumerable<(double Baseline, double Candidate)> pairs, Func<PairedSamples, T?> look) where T : class
    {
        var baseline = new List<double>();
        var candidate = new List<double>();
        foreach (var (b, c) in pairs)
        {
            baseline.Add(b);
            candidate.Add(c);
            if (look(new PairedSamples(baseline.ToArray(), candidate.ToArray())) is { } verdict) return verdict;
        }
        throw new InvalidOperationException("The pairs ran out before the test stopped.");
    }

    /// <summary>
    /// The share of seeded repetitions of the full sequential procedure that end in <paramref name="decision"/>,
    /// on <paramref name="machine"/> with drift halfway through the planned pairs.
    /// </summary>
    public static double ShareDecided(NoisyMachine machine, double speedup, SpeedupDecision decision, StatisticsOptions options, int repetitions, Action<string> log)
    {
        var test = new SequentialSpeedupTest(options);
        var drifting = machine with { DriftAt = options.MaxPairs / 2 };
        var verdicts = Enumerable.Range(0, repetitions).AsParallel().AsOrdered()
            .Select(seed => Until(test, drifting.Pairs(speedup, 10_000 + seed))).ToList();
        double share = verdicts.Count(v => v.Decision == decision) / (double)repetitions;
        log($"{drifting} speedup {speedup}: {decision} {share:P1}, mean pairs {verdicts.Average(v => v.Pairs):0.0}");
        return share;
    }
}
