using System.Globalization;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Statistics;
using MathNet.Numerics.Distributions;

namespace AutoPass.Core.Measurement.Noise;

/// <summary>
/// Reads an A/A calibration: pairs of the baseline against itself (a copy at another path), taken the way
/// real trials are, before any candidate. Everything it reports is in the units the verdicts use.
/// </summary>
internal static class NoiseCalibration
{
    public static NoiseProfile Analyze(PairedSamples aa, StatisticsOptions options, NoiseThresholds? thresholds = null)
    {
        var t = thresholds ?? new NoiseThresholds();
        int n = aa.Count;
        if (n < 4) throw new ArgumentException("An A/A calibration needs at least 4 pairs.");
        int half = n / 2;
        var logBase = aa.Baseline.Select(x => Math.Log(x)).ToArray();
        var logCopy = aa.Candidate.Select(x => Math.Log(x)).ToArray();

        // Drift: both arms together, second half against first; beyond noise only if 3 standard errors out.
        var level = logBase.Zip(logCopy, (b, c) => (b + c) / 2).ToArray();
        var levelCentred = CentreHalves(level, half);
        double step = RobustSpread.Median(level[half..]) - RobustSpread.Median(level[..half]);
        double stepSe = RobustSpread.MedianStandardError * RobustSpread.Sigma(levelCentred) * Math.Sqrt(1.0 / half + 1.0 / (n - half));
        double drift = Math.Exp(step) - 1;
        bool drifting = Math.Abs(drift) > t.Drift && Math.Abs(step) > 3 * stepSe;

        // Per arm, with the halves' step removed so drift is not counted twice as noise.
        var baseCentred = CentreHalves(logBase, half);
        var copyCentred = CentreHalves(logCopy, half);
        double baseCv = RobustSpread.Sigma(baseCentred), copyCv = RobustSpread.Sigma(copyCentred);
        int outliers = ModifiedZ(baseCentred).Count(z => z > t.OutlierZ) + ModifiedZ(copyCentred).Count(z => z > t.OutlierZ);
        double outlierShare = outliers / (2.0 * n);
        double firstExcess = Math.Max(Math.Exp(baseCentred[0]) - 1, Math.Exp(copyCentred[0]) - 1);
        bool slowFirst = (baseCentred[0] > 0 && ModifiedZ(baseCentred)[0] > t.OutlierZ) || (copyCentred[0] > 0 && ModifiedZ(copyCentred)[0] > t.OutlierZ);

        // What the sequential test can resolve at its last look, from the spread of d.
        var d = aa.LogRatios();
        double spread = RobustSpread.Sigma(d);
        var test = new SequentialSpeedupTest(options);
        double z = test.LookZ;
        double fromSpread = test.HalfWidthAtLastLook(spread);
        // Spikes widen real intervals beyond what the robust spread predicts: also scale the A/A interval's
        // own half-width to MaxPairs pairs and the per-look confidence, and believe the wider.
        var calibration = SpeedupStatistics.Estimate(aa, options);
        double halfWidth = (Math.Log(calibration.High) - Math.Log(calibration.Low)) / 2;
        double fromInterval = halfWidth * Math.Sqrt((double)n / options.MaxPairs) * z / Normal.InvCDF(0, 1, (1 + options.Confidence) / 2);
        double resolvable = Math.Exp(double.IsFinite(fromInterval) ? Math.Max(fromSpread, fromInterval) : fromSpread) - 1;
        double reach = Math.Max(calibration.High - 1, 1 - calibration.Low);
        double delta = options.MinEffect, effective = delta;
        // Noise alone does not raise δ: every verdict's interval already widens with it, so a claim that clears
        // 1 + δ at its confidence is one this machine resolved. Raising δ to the noise as well would count the
        // noise twice (an effect would need about twice the resolvable size). But an A/A "difference" means two
        // copies of one binary differ (path, layout): a bias the interval cannot see, so nothing smaller is real.
        bool biased = calibration.Decision is SpeedupDecision.Faster or SpeedupDecision.Slower;
        if (biased) effective = Math.Ceiling(Math.Max(delta, reach) * 1000) / 1000;

        string canResolve = $"this machine resolves about {Percent(resolvable)} with {options.MaxPairs} pairs";
        var warnings = new List<NoiseWarning>();
        foreach (var (arm, cv) in new[] { ("baseline", baseCv), ("copy", copyCv) })
            if (cv > t.NoisyCv)
                warnings.Add(new(DiagnosticCode.NoisyMachine,
                    $"The {arm} runs of the A/A calibration vary by {Percent(cv)} (robust CV, above {Percent(t.NoisyCv)})" +
                    (cv > t.TooNoisyCv ? ", too noisy for timings to mean much" : "") +
                    $"; pairs differ by {Percent(spread)}, so {canResolve}."));
        if (outlierShare > t.OutlierShare)
            warnings.Add(new(DiagnosticCode.NoisyMachine,
                $"{Percent(outlierShare)} of the A/A runs were outliers (more than {t.OutlierZ:0} robust standard deviations from the median): " +
                $"something else competes for this machine. The rank-based analysis keeps them, but they widen every interval; {canResolve}."));
        if (drifting)
            warnings.Add(new(DiagnosticCode.BaselineDrift,
                $"The machine got {Percent(Math.Abs(drift))} {(drift > 0 ? "slower" : "faster")} between the first and second half of the A/A calibration ({n} pairs). " +
                $"Pairing cancels drift that hits both runs of a pair alike, but a machine that changes under the session (throttling, other load) can bias single pairs; {canResolve}."));
        if (slowFirst)
            warnings.Add(new(DiagnosticCode.SlowFirstRun,
                $"The first A/A run was {Percent(firstExcess)} slower than the median: warm-up runs did not warm caches, page cache or clock enough. " +
                $"It widens the interval; {canResolve}."));
        string aaInterval = $"({(calibration.Confidence * 100).ToString("0.#", CultureInfo.InvariantCulture)}% interval, {n} pairs)";
        if (effective > delta)
            warnings.Add(new(DiagnosticCode.UnresolvableEffect,
                $"The A/A calibration found a difference of up to {Percent(reach)} between two copies of the baseline {aaInterval}: " +
                $"something other than the flags (path, layout) moves the timings, so speedups below {Percent(effective)} will not be claimed."));
        else if (reach > delta && resolvable > delta)
            warnings.Add(new(DiagnosticCode.UnresolvableEffect,
                $"The A/A calibration reached {Percent(reach)} from no difference {aaInterval}, wider than the {Percent(delta)} minimum effect; " +
                $"{canResolve}, so smaller speedups will mostly go unclaimed (no claim is made that its interval does not back)."));

        return new NoiseProfile
        {
            Pairs = n,
            BaselineCv = baseCv,
            CandidateCv = copyCv,
            LogRatioSpread = spread,
            OutlierShare = outlierShare,
            FirstRunExcess = firstExcess,
            SlowFirstRun = slowFirst,
            Drift = drift,
            DriftPerPair = Math.Exp(TheilSenSlope(level)) - 1,
            Drifting = drifting,
            Calibration = calibration,
            ResolvableEffect = resolvable,
            RequestedMinEffect = delta,
            EffectiveMinEffect = effective,
            Warnings = warnings,
        };
    }

    internal static string Percent(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Each value minus the median of its half, so a step between halves is not spread.</summary>
    private static double[] CentreHalves(double[] values, int half)
    {
        double first = RobustSpread.Median(values[..half]), second = RobustSpread.Median(values[half..]);
        return values.Select((v, i) => v - (i < half ? first : second)).ToArray();
    }

    /// <summary>|x − median| / (1.4826·MAD); identical values have no outliers.</summary>
    private static double[] ModifiedZ(double[] values)
    {
        double median = RobustSpread.Median(values), sigma = RobustSpread.Sigma(values);
        // A floor for the spread: a machine with MAD 0 on log times still has timer resolution.
        sigma = Math.Max(sigma, 1e-6);
        return values.Select(v => Math.Abs(v - median) / sigma).ToArray();
    }

    /// <summary>Median of all pairwise slopes.</summary>
    private static double TheilSenSlope(double[] y)
    {
        var slopes = new List<double>(y.Length * (y.Length - 1) / 2);
        for (int i = 0; i < y.Length; i++)
            for (int j = i + 1; j < y.Length; j++)
                slopes.Add((y[j] - y[i]) / (j - i));
        return RobustSpread.Median(slopes);
    }
}
