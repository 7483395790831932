using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Measurement.Noise;

/// <summary>What the A/A calibration and the machine's load say about this session's measurements.</summary>
/// <param name="Statistics">The options for the rest of the session: the minimum effect raised to what the machine can resolve.</param>
internal sealed record NoiseReview(StatisticsOptions Statistics, IReadOnlyList<(string Benchmark, NoiseProfile Profile)> Profiles, IReadOnlyList<NoiseWarning> Warnings);

/// <summary>
/// Reads the calibration (baseline against itself) per benchmark and the machine's pressure, warns about what
/// was seen, and refuses to claim effects the machine cannot resolve by raising the minimum effect.
/// </summary>
internal static class CalibrationReview
{
    public static NoiseReview Review(IReadOnlyList<BenchmarkMeasurement> calibration, StatisticsOptions statistics, MachinePressure pressure)
    {
        var profiles = calibration.Select(b => (b.Benchmark, NoiseCalibration.Analyze(b.ObjectiveSamples(), statistics))).ToList();
        var warnings = new List<NoiseWarning>();
        foreach (var (benchmark, profile) in profiles)
            warnings.AddRange(profile.Warnings.Select(w => w with { Message = $"{benchmark}: {w.Message}" }));
        warnings.AddRange(pressure.Warnings());
        double effective = profiles.Select(p => p.Item2.EffectiveMinEffect).DefaultIfEmpty(statistics.MinEffect).Max();
        return new NoiseReview(statistics with { MinEffect = Math.Max(statistics.MinEffect, effective) }, profiles, warnings);
    }
}
