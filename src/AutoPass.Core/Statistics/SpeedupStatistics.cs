namespace AutoPass.Core.Statistics;

/// <summary>Turns paired samples into a speedup verdict with a minimum-effect rule.</summary>
internal static class SpeedupStatistics
{
    /// <summary>The verdict at the options' confidence, as reported to the user.</summary>
    public static SpeedupVerdict Estimate(PairedSamples samples, StatisticsOptions options) =>
        Decide(samples, options, options.Confidence);

    /// <summary>
    /// Decide at a given confidence. d = ln(candidate/baseline) per pair; the estimate is exp(−HL(d)); the
    /// interval is the union of the paired bootstrap of HL and the signed-rank bounds. In speedup terms
    /// (baseline/candidate): faster when the whole interval is above 1+δ, slower when wholly below 1-δ,
    /// not-faster when the interval cannot reach 1+δ.
    /// </summary>
    public static SpeedupVerdict Decide(PairedSamples samples, StatisticsOptions options, double confidence)
    {
        if (samples.Count == 0) throw new ArgumentException("No pairs to analyse.");
        var walsh = new WalshAverages(samples.LogRatios());
        var (bootLow, bootHigh) = PairedBootstrap.HodgesLehmannInterval(walsh, confidence, options.Resamples, options.Seed);
        var (rankLow, rankHigh) = SignedRankBounds.Interval(walsh, confidence);
        // Speedup is exp(−d), so the bounds swap.
        double low = Math.Exp(-Math.Max(bootHigh, rankHigh)), high = Math.Exp(-Math.Min(bootLow, rankLow));
        return new SpeedupVerdict(Math.Exp(-walsh.Median), low, high, confidence, Classify(low, high, options.MinEffect), samples.Count)
        {
            MinEffect = options.MinEffect,
            BootstrapLow = Math.Exp(-bootHigh),
            BootstrapHigh = Math.Exp(-bootLow),
            RankLow = Math.Exp(-rankHigh),
            RankHigh = Math.Exp(-rankLow),
        };
    }

    /// <summary>The minimum-effect rule on a speedup interval [low, high].</summary>
    public static SpeedupDecision Classify(double low, double high, double minEffect) =>
        low > 1 + minEffect ? SpeedupDecision.Faster :
        high < 1 - minEffect ? SpeedupDecision.Slower :
        high < 1 + minEffect ? SpeedupDecision.NotFaster :
        SpeedupDecision.Inconclusive;
}
