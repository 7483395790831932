using AutoPass.Core.Statistics;

namespace AutoPass.Core.Measurement.Noise;

/// <summary>
/// What an A/A calibration (the baseline measured against itself) says about this machine. Relative
/// quantities are fractions (0.01 = 1%). <see cref="CalibrationReview"/> turns it into the session's warnings
/// and minimum effect.
/// </summary>
internal sealed record NoiseProfile
{
    public required int Pairs { get; init; }

    /// <summary>Robust CV (1.4826·MAD/median) of each arm, after removing a step between the halves (see <see cref="Drift"/>).</summary>
    public required double BaselineCv { get; init; }
    public required double CandidateCv { get; init; }

    /// <summary>Robust standard deviation of d = ln(candidate/baseline): what sets the power of the paired test.</summary>
    public required double LogRatioSpread { get; init; }

    /// <summary>Share of all runs with a modified z-score above the threshold.</summary>
    public required double OutlierShare { get; init; }

    /// <summary>How much slower the first run of either arm was than that arm's median.</summary>
    public required double FirstRunExcess { get; init; }
    public required bool SlowFirstRun { get; init; }

    /// <summary>Median time of the second half of the pairs over the first half, minus 1 (both arms).</summary>
    public required double Drift { get; init; }

    /// <summary>Theil–Sen slope of the pairs' mean log time per pair: the trend, robust to spikes.</summary>
    public required double DriftPerPair { get; init; }
    public required bool Drifting { get; init; }

    /// <summary>The A/A verdict at the options' confidence: its interval should sit inside ±δ and around 1.</summary>
    public required SpeedupVerdict Calibration { get; init; }

    /// <summary>
    /// The smallest speedup the sequential test can tell from none at its last look on this machine: the
    /// wider of the prediction from the spread of d and the A/A interval scaled to MaxPairs pairs.
    /// </summary>
    public required double ResolvableEffect { get; init; }

    /// <summary>The requested minimum effect δ.</summary>
    public required double RequestedMinEffect { get; init; }

    /// <summary>
    /// The minimum effect to use: δ, or the reach of the A/A interval when the calibration found two copies of
    /// the baseline different (a bias no interval shows). Noise alone leaves δ alone: intervals widen with it.
    /// </summary>
    public required double EffectiveMinEffect { get; init; }

    /// <summary>
    /// True when the A/A calibration found a difference between copies of the baseline: claims are held to
    /// <see cref="EffectiveMinEffect"/>.
    /// </summary>
    public bool RefuseToClaimMinEffect => EffectiveMinEffect > RequestedMinEffect;

    public required IReadOnlyList<NoiseWarning> Warnings { get; init; }
}
