using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Session;

/// <summary>The trials a search starts from (the calibration, and a resumed session's finished trials) and the statistics it claims with.</summary>
/// <param name="NoiseFindings">What the calibration found about the machine's noise, per benchmark and per arm.</param>
/// <param name="PairSpread">The A/A calibration's robust spread of per-pair log ratios, the noisiest benchmark's (it chooses the races' schedule).</param>
internal sealed record CalibratedSession(IReadOnlyList<TrialRecord> Trials, StatisticsOptions Statistics, IReadOnlyList<NoiseWarning> NoiseFindings, double? PairSpread = null);

/// <summary>
/// Calibrates the machine with an A/A run of the baseline, or resumes an interrupted session of the same request
/// when the baseline's binaries and the compiler are the same as then.
/// </summary>
internal sealed class CalibrationStep(SessionSetup setup)
{
    public async Task<CalibratedSession> RunAsync(PreparedBaseline baseline, SessionLedger ledger, CancellationToken ct)
    {
        var sink = setup.Sink;
        var statistics = setup.Statistics;
        NoiseReview review;
        var trials = new List<TrialRecord>();
        if (baseline.Resumed is { } interrupted)
        {
            trials.AddRange(interrupted.Trials.Where(t => t.Phase != TrialPhase.Confirm));
            sink.Info($"resuming the interrupted session from its ledger: {trials.Count - 1} finished trials kept");
            // The calibration decides the smallest effect the machine resolves; recomputed from it, it is the same.
            review = CalibrationReview.Review(trials[0].Benchmarks, statistics, new MachinePressure(null, null, null));
        }
        else
        {
            var pressureBefore = CpuTimes.Read();
            var calibration = await new BaselineSetup(setup.Request, setup.Builder, setup.Runner, sink).CalibrateAsync(baseline.Reference, statistics, ct);
            ledger.Append(calibration);
            trials.Add(calibration);
            review = CalibrationReview.Review(calibration.Benchmarks, statistics, MachinePressure.Read(pressureBefore));
            // One warning per session; each finding (per benchmark, per arm) is a detail line, in the summary and in the report.
            if (review.SessionWarning($"{setup.Paths.Summary} and the report") is { } warning)
                sink.Warning(warning.Code, $"{warning.Message} (AutoPassNoNoiseWarnings=true silences this)");
            foreach (var finding in review.Warnings) sink.Detail($"{finding.Code}: {finding.Message}");
            ledger.Append(new NoiseLine(review.Statistics.MinEffect, review.Profiles.Select(p => new BenchmarkNoise(p.Benchmark, p.Profile)).ToList()));
        }
        if (review.Statistics.MinEffect > setup.Request.MinEffect)
            sink.Info($"claims need at least {review.Statistics.MinEffect * 100:0.#}% here (asked: {setup.Request.MinEffect * 100:0.#}%): the calibration found copies of the baseline different");
        double? spread = review.Profiles.Count == 0 ? null : review.Profiles.Max(p => p.Profile.LogRatioSpread);
        return new CalibratedSession(trials, review.Statistics, review.Warnings, spread);
    }
}
