using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Statistics;

/// <summary>
/// Paired bootstrap: resample whole pairs, so drift that hits both arms of a pair cancels. Each replicate is drawn twice,
/// once pair by pair and once in blocks of consecutive pairs (a stationary bootstrap, Politis and Romano), and the
/// interval joins the two: a machine that stays in one state for a while makes its pairs fewer independent draws than
/// they look, which only the blocks see; on few independent pairs the blocks' percentile interval sits a little
/// narrower than the single pairs', which the join keeps from ever making a claim easier.
/// Deterministic for a given seed (Xoshiro256**, not thread-safe: one per call).
/// </summary>
internal static class PairedBootstrap
{
    /// <summary>
    /// Percentile interval of the Hodges–Lehmann estimate of the log ratios (log(candidate/baseline)): the join of the
    /// single-pair and the block intervals. Each resample costs n draws plus a walk over the pre-sorted Walsh averages
    /// per kind: no allocation, no sort.
    /// </summary>
    public static (double Low, double High) HodgesLehmannInterval(WalshAverages walsh, double confidence, int resamples, int seed)
    {
        int n = walsh.Count;
        if (n == 1) return (walsh.Median, walsh.Median);
        var single = new double[resamples];
        var blocks = new double[resamples];
        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        var counts = new int[n];
        var table = new long[2 * n + 1];
        double blockLength = MeanBlockLength(n);
        for (int b = 0; b < resamples; b++)
        {
            DrawCounts(random, counts, 1);
            single[b] = walsh.ResampledMedian(counts, table);
            DrawCounts(random, counts, blockLength);
            blocks[b] = walsh.ResampledMedian(counts, table);
        }
        return Join(Interval(single, confidence), Interval(blocks, confidence));
    }

    /// <summary>
    /// The interval from one kind of resampling alone: <paramref name="meanBlockLength"/> 1 resamples single pairs,
    /// null blocks of <see cref="MeanBlockLength"/>.
    /// </summary>
    public static (double Low, double High) HodgesLehmannInterval(WalshAverages walsh, double confidence, int resamples, int seed, double? meanBlockLength)
    {
        if (walsh.Count == 1) return (walsh.Median, walsh.Median);
        var estimates = new double[resamples];
        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        var counts = new int[walsh.Count];
        var table = new long[2 * walsh.Count + 1];
        for (int b = 0; b < resamples; b++)
        {
            DrawCounts(random, counts, meanBlockLength ?? MeanBlockLength(walsh.Count));
            estimates[b] = walsh.ResampledMedian(counts, table);
        }
        return Interval(estimates, confidence);
    }

    /// <summary>
    /// The mean block length of n pairs: n^(1/3), the rate that balances the bias of short blocks (dependence cut off)
    /// against the variance of long ones (few blocks).
    /// </summary>
    public static double MeanBlockLength(int pairs) => Math.Max(1, Math.Cbrt(pairs));

    /// <summary>
    /// How often each of the n pairs appears in one stationary-bootstrap resample of n pairs: blocks of consecutive
    /// pairs (wrapping round at the end) that start at a random pair and end with chance 1/<paramref name="meanBlockLength"/>
    /// after each pair, so every pair is equally likely to be drawn and the resample keeps the series' short-range
    /// order. A mean block length of 1 draws single pairs with replacement.
    /// </summary>
    internal static void DrawCounts(Xoshiro256StarStar random, int[] counts, double meanBlockLength)
    {
        int n = counts.Length;
        Array.Clear(counts);
        double endChance = 1 / meanBlockLength;
        int at = random.Next(n);
        for (int drawn = 0; drawn < n; drawn++)
        {
            counts[at]++;
            at = endChance >= 1 || random.NextDouble() < endChance ? random.Next(n) : (at + 1) % n;
        }
    }

    /// <summary>The two-sided percentile interval of bootstrap replicates; sorts them in place.</summary>
    internal static (double Low, double High) Interval(double[] replicates, double confidence) =>
        (Quantile(replicates, (1 - confidence) / 2), Quantile(replicates, (1 + confidence) / 2));

    /// <summary>The smallest interval holding both.</summary>
    internal static (double Low, double High) Join((double Low, double High) a, (double Low, double High) b) =>
        (Math.Min(a.Low, b.Low), Math.Max(a.High, b.High));

    /// <summary>R7 quantile (numpy's and criterion's); sorts <paramref name="values"/> in place.</summary>
    internal static double Quantile(double[] values, double tau)
    {
        Array.Sort(values);
        return SortedArrayStatistics.QuantileCustom(values, tau, QuantileDefinition.R7);
    }
}
