using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Statistics;

/// <summary>Median and MAD-based spread: a few slow runs must not decide how noisy a machine looks.</summary>
internal static class RobustSpread
{
    /// <summary>1.4826·MAD estimates the standard deviation of normal data.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>The standard error of a median of n normal values, in units of σ/√n: √(π/2), about 1.25.</summary>
    public static readonly double MedianStandardError = Math.Sqrt(Math.PI / 2);

    public static double Median(IEnumerable<double> values) => ArrayStatistics.MedianInplace(values.ToArray());

    /// <summary>Robust standard deviation: 1.4826 · median |x − median|.</summary>
    public static double Sigma(IReadOnlyList<double> values)
    {
        double median = Median(values);
        return MadToSigma * Median(values.Select(v => Math.Abs(v - median)));
    }
}
