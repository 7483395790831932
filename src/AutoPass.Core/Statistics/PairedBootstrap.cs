using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Statistics;

/// <summary>
/// Paired percentile bootstrap: resample whole pairs, so drift that hits both arms of a pair cancels.
/// Deterministic for a given seed (Xoshiro256**, not thread-safe: one per call).
/// </summary>
internal static class PairedBootstrap
{
    /// <summary>
    /// Percentile interval of the Hodges–Lehmann estimate of the log ratios (log(candidate/baseline)).
    /// Each resample costs n draws plus a walk over the pre-sorted Walsh averages: no allocation, no sort.
    /// </summary>
    public static (double Low, double High) HodgesLehmannInterval(WalshAverages walsh, double confidence, int resamples, int seed)
    {
        int n = walsh.Count;
        if (n == 1) return (walsh.Median, walsh.Median);
        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        var indices = new int[n];
        var counts = new int[n];
        var table = new long[2 * n + 1];
        var estimates = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            DrawCounts(random, indices, counts);
            estimates[b] = walsh.ResampledMedian(counts, table);
        }
        return (Quantile(estimates, (1 - confidence) / 2), Quantile(estimates, (1 + confidence) / 2));
    }

    /// <summary>How often each of the n pairs appears in one resample of n pairs with replacement.</summary>
    internal static void DrawCounts(Xoshiro256StarStar random, int[] indices, int[] counts)
    {
        random.NextInt32s(indices, 0, counts.Length);
        Array.Clear(counts);
        foreach (int i in indices) counts[i]++;
    }

    /// <summary>R7 quantile (numpy's and criterion's); sorts <paramref name="values"/> in place.</summary>
    internal static double Quantile(double[] values, double tau)
    {
        Array.Sort(values);
        return SortedArrayStatistics.QuantileCustom(values, tau, QuantileDefinition.R7);
    }

    private static double Median(double[] values) => ArrayStatistics.MedianInplace(values);
}
