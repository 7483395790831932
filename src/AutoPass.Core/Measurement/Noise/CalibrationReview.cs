using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Measurement.Noise;

/// <summary>What the A/A calibration and the machine's load say about this session's measurements.</summary>
/// <param name="Statistics">The options for the rest of the session: the minimum effect raised to what the machine can resolve.</param>
/// <param name="Warnings">Every finding, per benchmark and per arm: the detail behind <see cref="SessionWarning"/>.</param>
internal sealed record NoiseReview(StatisticsOptions Statistics, IReadOnlyList<(string Benchmark, NoiseProfile Profile)> Profiles, IReadOnlyList<NoiseWarning> Warnings)
{
    /// <summary>
    /// The session's one noise warning, null when the calibration found nothing: what the machine resolves, what
    /// that means for claims and what to do; <paramref name="details"/> says where each finding is written.
    /// AP2006 when two copies of the baseline timed differently (claims were held to more), else the first finding's code.
    /// </summary>
    public NoiseWarning? SessionWarning(string details)
    {
        if (Warnings.Count == 0) return null;
        bool biased = Profiles.Any(p => p.Profile.RefuseToClaimMinEffect);
        string code = biased ? DiagnosticCode.UnresolvableEffect
            : Warnings.Any(w => w.Code == DiagnosticCode.NoisyMachine) ? DiagnosticCode.NoisyMachine : Warnings[0].Code;
        var benchmarks = Warnings.Select(w => w.Message.Split(':')[0]).Where(b => Profiles.Any(p => p.Benchmark == b)).Distinct().ToList();
        string where = benchmarks.Count > 0 ? $"in {string.Join(", ", benchmarks)}" : "in the machine's load";
        string resolves = Profiles.Count > 0
            ? $"it resolves speedups of about {NoiseCalibration.Percent(Profiles.Max(p => p.Profile.ResolvableEffect))} with {Statistics.MaxPairs} pairs (the noisiest benchmark)"
            : "intervals widen";
        string claims = biased
            ? $", and two copies of the baseline timed differently, so claims need at least {NoiseCalibration.Percent(Statistics.MinEffect)}"
            : "";
        return new NoiseWarning(code,
            $"This machine is noisy for timing ({Warnings.Count} findings {where}): {resolves}{claims}; smaller speedups go unclaimed, none is made up. " +
            $"To resolve more, run on an idle machine (close other work; on a VM, one without CPU steal) and give benchmarks under 100 ms larger inputs. Each finding: {details}.");
    }
}

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
