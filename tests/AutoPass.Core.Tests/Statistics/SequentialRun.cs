using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Statistics;

/// <summary>Drives a <see cref="SequentialSpeedupTest"/> as the session would: one pair at a time until it stops.</summary>
public static class SequentialRun
{
    public static SpeedupVerdict Until(SequentialSpeedupTest test, IEnumerable<(double Baseline, double Candidate)> pairs)
    {
        var baseline = new List<double>();
        var candidate = new List<double>();
        foreach (var (b, c) in pairs)
        {
            baseline.Add(b);
            candidate.Add(c);
            var verdict = test.Look(new PairedSamples(baseline.ToArray(), candidate.ToArray()));
            if (verdict is not null) return verdict;
        }
        throw new InvalidOperationException("The pairs ran out before the test stopped.");
    }
}
