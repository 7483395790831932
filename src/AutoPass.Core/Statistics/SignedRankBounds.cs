using System.Collections.Concurrent;

namespace AutoPass.Core.Statistics;

/// <summary>
/// Distribution-free interval for the centre of symmetric paired differences: order statistics of the
/// Walsh averages at the exact Wilcoxon signed-rank critical value (Hollander &amp; Wolfe; R's wilcox.test
/// conf.int). Needs only that the noise in d is symmetric, which random AB/BA order gives under no effect.
/// </summary>
internal static class SignedRankBounds
{
    // Cumulative null distribution P(W+ ≤ w) per n; the DP is O(n³) so compute once per n.
    private static readonly ConcurrentDictionary<int, double[]> Cumulative = new();

    /// <summary>Two-sided bounds at <paramref name="confidence"/>; infinite when n is too small to bound at all.</summary>
    public static (double Low, double High) Interval(WalshAverages walsh, double confidence)
    {
        double alpha = 1 - confidence;
        var cdf = Cumulative.GetOrAdd(walsh.Count, NullCdf);
        // Largest t with P(W+ ≤ t) ≤ α/2: the (t+1)-th smallest and largest Walsh averages bound the centre.
        int t = -1;
        while (t + 1 < cdf.Length && cdf[t + 1] <= alpha / 2) t++;
        if (t < 0) return (double.NegativeInfinity, double.PositiveInfinity);
        var sorted = walsh.Sorted;
        return (sorted[t], sorted[sorted.Count - 1 - t]);
    }

    /// <summary>P(W+ ≤ w) for w = 0..n(n+1)/2 when each rank's sign is a fair coin.</summary>
    internal static double[] NullCdf(int n)
    {
        int max = n * (n + 1) / 2;
        var p = new double[max + 1];
        p[0] = 1;
        int reach = 0;
        for (int rank = 1; rank <= n; rank++)
        {
            reach += rank;
            for (int w = reach; w >= 0; w--)
                p[w] = 0.5 * (p[w] + (w >= rank ? p[w - rank] : 0));
        }
        for (int w = 1; w <= max; w++) p[w] += p[w - 1];
        return p;
    }
}
