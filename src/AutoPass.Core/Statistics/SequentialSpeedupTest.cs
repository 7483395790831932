namespace AutoPass.Core.Statistics;

/// <summary>
/// Adaptive stopping: look after <see cref="StatisticsOptions.FirstLook"/> pairs, then every
/// <see cref="StatisticsOptions.LookEvery"/>, until the verdict is clear or <see cref="StatisticsOptions.MaxPairs"/>.
/// Each look uses a stricter confidence so repeated looks keep false claims near the nominal rate.
/// </summary>
public sealed class SequentialSpeedupTest(StatisticsOptions options)
{
    public StatisticsOptions Options { get; } = options;

    /// <summary>Per-look confidence (Bonferroni over the planned looks).</summary>
    public double LookConfidence
    {
        get
        {
            int looks = 1 + Math.Max(0, (Options.MaxPairs - Options.FirstLook) / Options.LookEvery);
            return 1 - (1 - Options.Confidence) / looks;
        }
    }

    public bool IsLookAt(int pairs) =>
        pairs >= Options.FirstLook && ((pairs - Options.FirstLook) % Options.LookEvery == 0 || pairs >= Options.MaxPairs);

    /// <summary>The verdict if the test should stop now, else null.</summary>
    public SpeedupVerdict? Look(PairedSamples samples)
    {
        if (!IsLookAt(samples.Count)) return null;
        var verdict = SpeedupStatistics.Decide(samples, Options, LookConfidence);
        if (verdict.Decision != SpeedupDecision.Inconclusive) return verdict;
        if (samples.Count >= Options.MaxPairs) return verdict with { Decision = SpeedupDecision.NotFaster };
        return null;
    }
}
