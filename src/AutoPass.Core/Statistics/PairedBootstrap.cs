using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Statistics;

/// <summary>
/// Paired percentile bootstrap of the median log ratio: resample whole pairs, so drift that hits
/// both arms of a pair cancels. Deterministic for a given seed.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>The ratio candidate/baseline as exp(median d) with a two-sided interval at <paramref name="confidence"/>.</summary>
    public static (double Ratio, double Low, double High) RatioInterval(PairedSamples samples, double confidence, int resamples, int seed)
    {
        var d = samples.LogRatios();
        int n = d.Length;
        if (n == 0) throw new ArgumentException("No pairs to analyse.");
        double point = Median(d.ToArray());
        if (n == 1) return (Math.Exp(point), Math.Exp(point), Math.Exp(point));

        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        var indices = new int[n];
        var buffer = new double[n];
        var medians = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            random.NextInt32s(indices, 0, n);
            for (int i = 0; i < n; i++) buffer[i] = d[indices[i]];
            medians[b] = ArrayStatistics.MedianInplace(buffer);
        }
        Array.Sort(medians);
        double alpha = 1 - confidence;
        double lo = SortedArrayStatistics.QuantileCustom(medians, alpha / 2, QuantileDefinition.R7);
        double hi = SortedArrayStatistics.QuantileCustom(medians, 1 - alpha / 2, QuantileDefinition.R7);
        return (Math.Exp(point), Math.Exp(lo), Math.Exp(hi));
    }

    private static double Median(double[] values) => ArrayStatistics.MedianInplace(values);
}
