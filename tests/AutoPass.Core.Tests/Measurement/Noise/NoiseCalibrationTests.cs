using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Statistics;

namespace AutoPass.Core.Tests.Measurement.Noise;

public class NoiseCalibrationTests
{
    private static readonly StatisticsOptions Options = new(Resamples: 1000);

    private static PairedSamples AA(NoisyMachine machine, int pairs, int seed)
    {
        var (b, c) = machine.Take(1.0, pairs, seed);
        return new PairedSamples(b, c);
    }

    private static readonly NoisyMachine Clean = new(0.005, 0, 0);

    [Fact]
    public void A_clean_machine_gives_no_warning_and_keeps_the_minimum_effect()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var profile = NoiseCalibration.Analyze(AA(Clean, 20, seed), Options);
            Assert.True(profile.Warnings.Count == 0, $"seed {seed}: {string.Join(" | ", profile.Warnings)}");
            Assert.Equal(Options.MinEffect, profile.EffectiveMinEffect);
            Assert.False(profile.RefuseToClaimMinEffect);
            Assert.InRange(profile.BaselineCv, 0.001, 0.01); // σ = 0.5%, estimated from 20 runs
            Assert.InRange(profile.ResolvableEffect, 0, Options.MinEffect);
        }
    }

    [Fact]
    public void Drift_halfway_through_is_detected_and_measured()
    {
        var profile = NoiseCalibration.Analyze(AA(new NoisyMachine(0.01, 0, 0, Drift: 0.06, DriftAt: 10), 20, 3), Options);
        Assert.True(profile.Drifting);
        Assert.InRange(profile.Drift, 0.045, 0.075);
        Assert.True(profile.DriftPerPair > 0);
        var warning = Assert.Single(profile.Warnings, w => w.Code == DiagnosticCode.BaselineDrift);
        Assert.Contains("slower", warning.Message);
        // The step is drift, not noise: the arms' spread stays that of the runs.
        Assert.InRange(profile.BaselineCv, 0.004, 0.02);
        Assert.DoesNotContain(profile.Warnings, w => w.Code == DiagnosticCode.NoisyMachine);
    }

    [Fact]
    public void Frequent_spikes_are_counted_as_outliers()
    {
        var profile = NoiseCalibration.Analyze(AA(new NoisyMachine(0.01, 0.25, 0.5), 30, 4), Options);
        Assert.InRange(profile.OutlierShare, 0.15, 0.35);
        Assert.Contains(profile.Warnings, w => w.Code == DiagnosticCode.NoisyMachine && w.Message.Contains("outliers"));
    }

    [Fact]
    public void A_noisy_arm_is_named()
    {
        var random = new Random(5);
        var baseline = Enumerable.Range(0, 20).Select(_ => 1 + 0.004 * (random.NextDouble() - 0.5)).ToArray();
        var copy = Enumerable.Range(0, 20).Select(_ => 1 + 0.16 * (random.NextDouble() - 0.5)).ToArray(); // σ ≈ 4.6%
        var profile = NoiseCalibration.Analyze(new PairedSamples(baseline, copy), Options);
        Assert.InRange(profile.BaselineCv, 0, 0.005);
        Assert.InRange(profile.CandidateCv, 0.03, 0.08);
        var warning = Assert.Single(profile.Warnings, w => w.Code == DiagnosticCode.NoisyMachine);
        Assert.Contains("copy runs", warning.Message);
        Assert.Contains("resolves about", warning.Message);
    }

    [Fact]
    public void A_slow_first_run_is_reported()
    {
        var (b, c) = Clean.Take(1.0, 20, 6);
        b[0] *= 1.4;
        var profile = NoiseCalibration.Analyze(new PairedSamples(b, c), Options);
        Assert.True(profile.SlowFirstRun);
        Assert.InRange(profile.FirstRunExcess, 0.35, 0.45);
        Assert.Contains(profile.Warnings, w => w.Code == DiagnosticCode.SlowFirstRun);
    }

    [Fact]
    public void A_noisy_machine_keeps_the_minimum_effect_and_says_what_it_can_resolve()
    {
        // Noise widens every verdict's interval already; raising δ as well would count it twice.
        var aa = AA(NoisyMachine.Heavy with { Drift = 0 }, 20, 7);
        var profile = NoiseCalibration.Analyze(aa, Options);
        double reach = Math.Max(profile.Calibration.High - 1, 1 - profile.Calibration.Low);
        Assert.True(reach > Options.MinEffect, profile.Calibration.ToString());
        Assert.Equal(SpeedupDecision.Inconclusive, profile.Calibration.Decision);
        Assert.True(profile.ResolvableEffect > Options.MinEffect, $"resolvable {profile.ResolvableEffect}");
        Assert.False(profile.RefuseToClaimMinEffect);
        Assert.Equal(Options.MinEffect, Reviewed(aa).MinEffect);
        var warning = Assert.Single(profile.Warnings, w => w.Code == DiagnosticCode.UnresolvableEffect);
        Assert.Contains("resolves about", warning.Message);
        Assert.Contains("mostly go unclaimed", warning.Message);
        Assert.Contains(NoiseWarning.SilencingProperty, warning.ToString());
    }

    [Fact]
    public void Copies_of_the_baseline_that_time_differently_raise_the_minimum_effect_to_the_difference_and_say_so()
    {
        // The copy runs 6% slower than the baseline, as a path or layout artefact would make it.
        var (b, c) = NoisyMachine.Light.Take(1.0, 20, 9);
        var copy = c.Select(x => x * 1.06).ToArray();
        var aa = new PairedSamples(b, copy);
        var profile = NoiseCalibration.Analyze(aa, Options);
        Assert.Equal(SpeedupDecision.Slower, profile.Calibration.Decision);
        Assert.True(profile.RefuseToClaimMinEffect);
        Assert.InRange(profile.EffectiveMinEffect, 0.06, 0.12);
        Assert.Equal(profile.EffectiveMinEffect, Reviewed(aa).MinEffect);
        var warning = Assert.Single(profile.Warnings, w => w.Code == DiagnosticCode.UnresolvableEffect);
        Assert.Contains("will not be claimed", warning.Message);
        Assert.Contains(NoiseWarning.SilencingProperty, warning.ToString());
    }

    [Fact]
    public void The_resolvable_effect_shrinks_with_more_pairs()
    {
        var samples = AA(NoisyMachine.Light with { Drift = 0 }, 20, 8);
        var few = NoiseCalibration.Analyze(samples, Options with { MaxPairs = 20 });
        var many = NoiseCalibration.Analyze(samples, Options with { MaxPairs = 80 });
        Assert.True(many.ResolvableEffect < few.ResolvableEffect);
    }

    /// <summary>The statistics the session goes on with after reviewing this A/A calibration.</summary>
    private static StatisticsOptions Reviewed(PairedSamples aa) =>
        CalibrationReview.Review([new BenchmarkMeasurement { Benchmark = "kernel", BaselineSeconds = aa.Baseline, CandidateSeconds = aa.Candidate }],
            Options, new MachinePressure(null, null, null)).Statistics;
}
