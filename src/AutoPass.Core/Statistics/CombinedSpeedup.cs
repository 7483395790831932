using MathNet.Numerics.Random;

namespace AutoPass.Core.Statistics;

/// <summary>
/// The multi-benchmark objective: geometric mean of per-benchmark speedups, i.e. exp(−mean of the
/// benchmarks' Hodges–Lehmann log ratios), with a paired block bootstrap that resamples the pairs of
/// every benchmark in the same replicate (<see cref="PairedBootstrap"/>).
/// </summary>
internal static class CombinedSpeedup
{
    public static CombinedVerdict Estimate(IReadOnlyList<BenchmarkSamples> benchmarks, StatisticsOptions options) =>
        Decide(benchmarks, options, options.Confidence);

    /// <summary>
    /// Decide at a given confidence. When every benchmark has the same number of pairs, pair i of each is
    /// taken to come from the same round and one set of resample counts serves them all, which keeps
    /// whatever the rounds share (a noisy minute hits every benchmark measured in it).
    /// </summary>
    public static CombinedVerdict Decide(IReadOnlyList<BenchmarkSamples> benchmarks, StatisticsOptions options, double confidence)
    {
        if (benchmarks.Count == 0) throw new ArgumentException("No benchmarks to combine.");
        var verdicts = benchmarks.Select(b => new BenchmarkVerdict(b.Name, SpeedupStatistics.Decide(b.Samples, options, confidence))).ToList();
        var walsh = benchmarks.Select(b => new WalshAverages(b.Samples.LogRatios())).ToArray();
        double estimate = walsh.Average(w => w.Median);

        bool rounds = walsh.All(w => w.Count == walsh[0].Count);
        var random = new Xoshiro256StarStar(options.Seed, threadSafe: false);
        var counts = walsh.Select(w => new int[w.Count]).ToArray();
        var tables = walsh.Select(w => new long[2 * w.Count + 1]).ToArray();
        var blockLengths = walsh.Select(w => PairedBootstrap.MeanBlockLength(w.Count)).ToArray();
        var single = new double[options.Resamples];
        var blocks = new double[options.Resamples];
        double Replicate(bool inBlocks)
        {
            double sum = 0;
            for (int b = 0; b < walsh.Length; b++)
            {
                int[] used = rounds ? counts[0] : counts[b];
                if (b == 0 || !rounds) PairedBootstrap.DrawCounts(random, used, inBlocks ? blockLengths[b] : 1);
                sum += walsh[b].Count == 1 ? walsh[b].Median : walsh[b].ResampledMedian(used, tables[b]);
            }
            return sum / walsh.Length;
        }
        for (int r = 0; r < options.Resamples; r++)
        {
            single[r] = Replicate(inBlocks: false);
            blocks[r] = Replicate(inBlocks: true);
        }
        var (lowLog, highLog) = PairedBootstrap.Join(PairedBootstrap.Interval(single, confidence), PairedBootstrap.Interval(blocks, confidence));
        double low = Math.Exp(-highLog), high = Math.Exp(-lowLog);

        var decision = SpeedupStatistics.Classify(low, high, options.MinEffect);
        // No-regression rule: a benchmark confidently slower by more than δ means this candidate cannot win.
        if (verdicts.Any(v => v.Verdict.Decision == SpeedupDecision.Slower) && decision is SpeedupDecision.Faster or SpeedupDecision.Inconclusive)
            decision = SpeedupDecision.NotFaster;
        return new CombinedVerdict(Math.Exp(-estimate), low, high, confidence, decision, verdicts) { MinEffect = options.MinEffect };
    }
}
