using MathNet.Numerics.Distributions;

namespace AutoPass.Core.Statistics;

/// <summary>
/// Adaptive stopping: look after <see cref="StatisticsOptions.FirstLook"/> pairs, then every
/// <see cref="StatisticsOptions.LookEvery"/>, until the verdict is clear or <see cref="StatisticsOptions.MaxPairs"/>.
/// Stops early for Faster, Slower and futility (NotFaster: the interval can no longer reach 1+δ).
/// Each look uses a Bonferroni-split confidence, so over all planned looks the chance of any false
/// claim stays at or below 1 − <see cref="StatisticsOptions.Confidence"/> (a false "faster" alone, being
/// one tail, at half that), and the δ margin makes it smaller still.
/// </summary>
internal sealed class SequentialSpeedupTest(StatisticsOptions options)
{
    public StatisticsOptions Options { get; } = options;

    /// <summary>How many looks the schedule can make: FirstLook, every LookEvery after, and MaxPairs.</summary>
    public int PlannedLooks
    {
        get
        {
            int span = Math.Max(0, Options.MaxPairs - Options.FirstLook);
            return 1 + (span + Options.LookEvery - 1) / Math.Max(1, Options.LookEvery);
        }
    }

    /// <summary>Per-look confidence (Bonferroni over the planned looks).</summary>
    public double LookConfidence => 1 - (1 - Options.Confidence) / PlannedLooks;

    /// <summary>z of a two-sided interval at the per-look confidence.</summary>
    public double LookZ => Normal.InvCDF(0, 1, (1 + LookConfidence) / 2);

    /// <summary>
    /// Half-width (log units) an interval at the last look is expected to have, given the per-pair spread of log ratios:
    /// z at the per-look confidence times the Hodges–Lehmann standard error, √(π/3)·σ/√n under normal noise.
    /// </summary>
    public double HalfWidthAtLastLook(double logRatioSpread) => LookZ * Math.Sqrt(Math.PI / 3) * logRatioSpread / Math.Sqrt(Options.MaxPairs);

    public bool IsLookAt(int pairs) =>
        pairs >= Options.FirstLook && ((pairs - Options.FirstLook) % Math.Max(1, Options.LookEvery) == 0 || pairs >= Options.MaxPairs);

    /// <summary>The verdict if the test should stop now, else null. At MaxPairs, undecided means NotFaster.</summary>
    public SpeedupVerdict? Look(PairedSamples samples)
    {
        if (!IsLookAt(samples.Count)) return null;
        var verdict = SpeedupStatistics.Decide(samples, Options, LookConfidence);
        if (verdict.Decision != SpeedupDecision.Inconclusive) return verdict;
        if (samples.Count >= Options.MaxPairs) return verdict with { Decision = SpeedupDecision.NotFaster };
        return null;
    }

    /// <summary>
    /// The same schedule for the multi-benchmark objective, counted in the fewest pairs of any benchmark.
    /// Stops as soon as any benchmark is confidently slower (the candidate cannot win).
    /// </summary>
    public CombinedVerdict? Look(IReadOnlyList<BenchmarkSamples> benchmarks)
    {
        int pairs = benchmarks.Count == 0 ? 0 : benchmarks.Min(b => b.Samples.Count);
        if (!IsLookAt(pairs)) return null;
        var verdict = CombinedSpeedup.Decide(benchmarks, Options, LookConfidence);
        if (verdict.Decision != SpeedupDecision.Inconclusive) return verdict;
        if (pairs >= Options.MaxPairs) return verdict with { Decision = SpeedupDecision.NotFaster };
        return null;
    }
}
