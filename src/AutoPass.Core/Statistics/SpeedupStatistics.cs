namespace AutoPass.Core.Statistics;

/// <summary>Turns paired samples into a speedup verdict with a minimum-effect rule.</summary>
public static class SpeedupStatistics
{
    /// <summary>The verdict at the options' confidence, as reported to the user.</summary>
    public static SpeedupVerdict Estimate(PairedSamples samples, StatisticsOptions options) =>
        Decide(samples, options, options.Confidence);

    /// <summary>
    /// Decide at a given confidence. In speedup terms (baseline/candidate):
    /// faster when the whole interval is above 1+δ, slower when wholly below 1-δ,
    /// not-faster when the interval cannot reach 1+δ.
    /// </summary>
    public static SpeedupVerdict Decide(PairedSamples samples, StatisticsOptions options, double confidence)
    {
        var (ratio, lo, hi) = PairedBootstrap.RatioInterval(samples, confidence, options.Resamples, options.Seed);
        // Speedup inverts the ratio, so the bounds swap.
        double speedup = 1 / ratio, low = 1 / hi, high = 1 / lo;
        double delta = options.MinEffect;
        var decision =
            low > 1 + delta ? SpeedupDecision.Faster :
            high < 1 - delta ? SpeedupDecision.Slower :
            high < 1 + delta ? SpeedupDecision.NotFaster :
            SpeedupDecision.Inconclusive;
        return new SpeedupVerdict(speedup, low, high, confidence, decision, samples.Count);
    }
}
