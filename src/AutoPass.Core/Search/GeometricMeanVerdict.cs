using AutoPass.Core.Statistics;
using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Search;

/// <summary>
/// The multi-benchmark objective: geometric mean of per-benchmark speedups, with a bootstrap interval
/// that resamples each benchmark's pairs independently.
/// </summary>
public static class GeometricMeanVerdict
{
    public static SpeedupVerdict Combine(IReadOnlyList<PairedSamples> benchmarks, StatisticsOptions options)
    {
        if (benchmarks.Count == 1) return SpeedupStatistics.Estimate(benchmarks[0], options);
        var logs = benchmarks.Select(b => b.LogRatios()).ToArray();
        double point = logs.Average(d => ArrayStatistics.MedianInplace(d.ToArray()));
        var random = new Xoshiro256StarStar(options.Seed, threadSafe: false);
        var draws = new double[options.Resamples];
        for (int r = 0; r < options.Resamples; r++)
        {
            double sum = 0;
            foreach (var d in logs)
            {
                var buffer = new double[d.Length];
                for (int i = 0; i < d.Length; i++) buffer[i] = d[random.Next(d.Length)];
                sum += ArrayStatistics.MedianInplace(buffer);
            }
            draws[r] = sum / logs.Length;
        }
        Array.Sort(draws);
        double alpha = 1 - options.Confidence;
        double lo = SortedArrayStatistics.QuantileCustom(draws, alpha / 2, QuantileDefinition.R7);
        double hi = SortedArrayStatistics.QuantileCustom(draws, 1 - alpha / 2, QuantileDefinition.R7);
        double speedup = Math.Exp(-point), low = Math.Exp(-hi), high = Math.Exp(-lo), delta = options.MinEffect;
        var decision = low > 1 + delta ? SpeedupDecision.Faster : high < 1 - delta ? SpeedupDecision.Slower :
            high < 1 + delta ? SpeedupDecision.NotFaster : SpeedupDecision.Inconclusive;
        return new SpeedupVerdict(speedup, low, high, options.Confidence, decision, benchmarks.Min(b => b.Count));
    }
}
