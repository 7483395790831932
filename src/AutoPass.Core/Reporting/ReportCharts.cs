using System.Globalization;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Reporting;

/// <summary>The report's pictures, as inline SVG drawn from the <see cref="ReportModel"/>: axes with ticks on every one.</summary>
internal static class ReportCharts
{
    public const string SpeedupTitle = "speedup over the baseline (baseline time ÷ candidate time)";

    /// <summary>The width of the interval column of the tables (trials, flags), and its axis.</summary>
    public const int StripWidth = 240;
    private const int StripPad = 12;

    /// <summary>
    /// Best so far: every screened trial's estimate (dots) and the candidate the winner pick would choose by then
    /// (a step line with its interval as a band), over trials or over minutes.
    /// </summary>
    public static string BestSoFar(IReadOnlyList<ProgressPoint> progress, bool overTime, double? minEffect)
    {
        var points = progress.Where(p => !overTime || p.Minutes is not null).ToList();
        string what = overTime ? "minutes" : "trials";
        if (points.Count == 0)
            return overTime ? "<p class=\"note\">This ledger has no times (written before AutoPass recorded them), so progress over time cannot be drawn.</p>"
                : "<p class=\"note\">No candidate was screened.</p>";
        const double width = 560, height = 300, left = 64, right = 16, top = 14, bottom = 52;
        double X(ProgressPoint p) => overTime ? p.Minutes!.Value : p.Trial;
        var values = points.Select(p => p.Estimate).OfType<double>()
            .Concat(points.Select(p => p.Best).OfType<ReportInterval>().SelectMany(b => new[] { b.Low, b.High }))
            .Where(double.IsFinite).Append(1.0).Append(1 + (minEffect ?? 0)).ToList();
        var ys = LinearScale.Nice(Trimmed(values).Low, Trimmed(values).High, height - bottom, top, 5);
        var xs = LinearScale.Nice(overTime ? 0 : points.Min(X), Math.Max(points.Max(X), overTime ? 0.1 : points.Min(X) + 1), left, width - right, 6);
        var svg = new SvgWriter(width, height, $"chart best-so-far best-so-far-{what}", $"Best so far over {what}");
        svg.YAxis(ys, left, width - right, "speedup");
        svg.XAxis(xs, height - bottom, top, overTime ? "minutes since the session started" : "trial number");
        svg.Line(left, ys.Map(1), width - right, ys.Map(1), "baseline-line");
        svg.Text(width - right - 2, ys.Map(1) - 4, "baseline", "annotation", "end");

        // The best candidate so far: its interval as a band and its estimate as a step line, from where it first led.
        if (points.All(p => p.Estimate is null))
            svg.Text((left + width - right) / 2, top + 40, "no screened candidate was timed", "annotation", "middle");
        var led = points.Where(p => p.Best is not null).ToList();
        if (led.Count > 0)
        {
            var upper = new List<(double, double)>();
            var lower = new List<(double, double)>();
            var line = new List<(double, double)>();
            for (int i = 0; i < led.Count; i++)
            {
                double x0 = xs.Map(X(led[i])), x1 = i + 1 < led.Count ? xs.Map(X(led[i + 1])) : xs.Map(X(points[^1]));
                var b = led[i].Best!;
                upper.Add((x0, ys.Map(b.High))); upper.Add((x1, ys.Map(b.High)));
                lower.Add((x0, ys.Map(b.Low))); lower.Add((x1, ys.Map(b.Low)));
                line.Add((x0, ys.Map(b.Estimate))); line.Add((x1, ys.Map(b.Estimate)));
            }
            lower.Reverse();
            svg.Polygon(upper.Concat(lower), "best-band");
            svg.Polyline(line, "best-line");
        }
        foreach (var p in points.Where(p => p.Estimate is not null))
            svg.Circle(xs.Map(X(p)), ys.Map(p.Estimate!.Value), 3, "trial-dot",
                Inv($"trial {p.Trial}: {p.Estimate:0.000}x") + (overTime ? Inv($" at {p.Minutes:0.0} min") : ""));
        return svg.ToString();
    }

    /// <summary>
    /// A confirmation over time: each pair's speedup (dots) against its pair number, and when the effect moved, each
    /// regime as a band (its interval) with its estimate, the claimed one marked; beside it, the baseline's time per pair.
    /// </summary>
    public static string ConfirmationOverTime(ConfirmationSeries series, double? minEffect)
    {
        const double width = 560, height = 300, left = 64, right = 16, top = 14, bottom = 52;
        int n = series.Ratios.Count;
        var xs = LinearScale.Nice(0, Math.Max(n, 2), left, width - right, 6);
        var values = series.Ratios.Concat(series.Regimes.SelectMany(r => new[] { r.Low, r.High })).Where(double.IsFinite).Append(1.0).Append(1 + (minEffect ?? 0)).ToList();
        var ys = LinearScale.Nice(Trimmed(values).Low, Trimmed(values).High, height - bottom, top, 5);
        var svg = new SvgWriter(width, height, "chart confirmation-over-time", "The confirmation's pairs over time");
        svg.YAxis(ys, left, width - right, "speedup");
        svg.XAxis(xs, height - bottom, top, "pair (in the order they ran)");
        svg.Line(left, ys.Map(1), width - right, ys.Map(1), "baseline-line");
        foreach (var r in series.Regimes)
        {
            double x0 = xs.Map(r.FirstPair - 0.5), x1 = xs.Map(r.LastPair + 0.5);
            string css = r.Claimed ? "regime claimed" : "regime";
            string what = Inv($"pairs {r.FirstPair}-{r.LastPair}: {r.Estimate:0.000}x [{r.Low:0.000}, {r.High:0.000}], baseline {r.BaselineSeconds:0.###} s") + (r.Claimed ? " (claimed)" : "");
            svg.Rect(x0, ys.Map(r.High), x1 - x0, Math.Max(1, ys.Map(r.Low) - ys.Map(r.High)), "regime-band " + css, what);
            svg.Line(x0, ys.Map(r.Estimate), x1, ys.Map(r.Estimate), "regime-line " + css);
            svg.Line(x0, top, x0, height - bottom, "regime-edge");
            svg.Text((x0 + x1) / 2, top + 12, r.Claimed ? "claimed" : Inv($"{r.Estimate:0.00}x"), "annotation", "middle");
        }
        for (int i = 0; i < n; i++)
            svg.Circle(xs.Map(i + 1), ys.Map(series.Ratios[i]), 2.5, "pair-dot winner" + (ys.Contains(series.Ratios[i]) ? "" : " clipped"),
                Inv($"pair {i + 1}: {series.Ratios[i]:0.000}x, baseline {series.BaselineSeconds[i]:0.###} s"));
        return svg.ToString();
    }

    /// <summary>The baseline's time per pair of a confirmation, with the regimes' edges: whether the machine moved with the effect.</summary>
    public static string BaselineOverTime(ConfirmationSeries series)
    {
        const double width = 560, height = 300, left = 64, right = 16, top = 14, bottom = 52;
        int n = series.BaselineSeconds.Count;
        var xs = LinearScale.Nice(0, Math.Max(n, 2), left, width - right, 6);
        var ys = LinearScale.Nice(0, Math.Max(series.BaselineSeconds.Max() * 1.05, 1e-6), height - bottom, top, 5);
        var svg = new SvgWriter(width, height, "chart baseline-over-time", "The baseline's time per pair");
        svg.YAxis(ys, left, width - right, "baseline seconds");
        svg.XAxis(xs, height - bottom, top, "pair (in the order they ran)");
        foreach (var r in series.Regimes)
        {
            double x0 = xs.Map(r.FirstPair - 0.5), x1 = xs.Map(r.LastPair + 0.5);
            svg.Line(x0, top, x0, height - bottom, "regime-edge");
            svg.Line(x0, ys.Map(r.BaselineSeconds), x1, ys.Map(r.BaselineSeconds), "regime-line" + (r.Claimed ? " claimed" : ""));
        }
        svg.Polyline(series.BaselineSeconds.Select((t, i) => (xs.Map(i + 1), ys.Map(t))), "baseline-series");
        return svg.ToString();
    }

    /// <summary>
    /// Per benchmark, two rows on one speedup axis: the A/A calibration and the winner's fresh measurement, each
    /// with every pair's ratio (dots), their quartiles (box) and the verdict's interval (bar) and estimate.
    /// </summary>
    public static string PairRatios(IReadOnlyList<BenchmarkComparison> benchmarks, double? minEffect)
    {
        if (benchmarks.Count == 0) return "<p class=\"note\">The ledger has no calibration or confirmation samples.</p>";
        const double width = 1200, rowHeight = 40, left = 190, right = 230, top = 10, bottom = 52;
        // Without a confirmed winner there is only the calibration to show.
        bool anyWinner = benchmarks.Any(b => b.WinnerRatios.Count > 0);
        var rows = benchmarks.SelectMany(b => new[]
        {
            (Label: b.Benchmark, Sub: "A/A calibration", Ratios: b.CalibrationRatios, Interval: b.Calibration, Css: "aa", First: true),
            (Label: b.Benchmark, Sub: b.WinnerLabel, Ratios: b.WinnerRatios, Interval: b.Winner, Css: "winner", First: false),
        }.Where(r => r.First || anyWinner)).ToList();
        double height = top + rowHeight * rows.Count + bottom;
        var values = rows.SelectMany(r => r.Ratios.Concat(r.Interval is { } i ? new[] { i.Low, i.High } : [])).Where(double.IsFinite).Append(1.0).ToList();
        var (low, high) = Trimmed(values);
        var xs = LinearScale.Nice(low, high, left, width - right, 10);
        var svg = new SvgWriter(width, height, "chart pair-ratios", "Per benchmark: each pair's speedup, A/A calibration next to the winner");
        svg.XAxis(xs, height - bottom, top, "speedup of one pair (baseline time ÷ candidate time)", 10);
        svg.Line(xs.Map(1), top, xs.Map(1), height - bottom, "baseline-line");
        if (minEffect is > 0 && xs.Contains(1 + minEffect.Value))
            svg.Line(xs.Map(1 + minEffect.Value), top, xs.Map(1 + minEffect.Value), height - bottom, "min-effect-line");
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            double y = top + rowHeight * r + rowHeight / 2;
            if (row.First)
            {
                svg.Text(4, y + 4, row.Label, "row-label strong");
                if (r > 0) svg.Line(4, top + rowHeight * r, width - 4, top + rowHeight * r, "row-separator");
            }
            svg.Text(left - 10, y + 4, row.Sub, "row-label " + row.Css, "end");
            if (row.Ratios.Count > 0)
            {
                var sorted = row.Ratios.Order().ToList();
                double q1 = Quantile(sorted, 0.25), q2 = Quantile(sorted, 0.5), q3 = Quantile(sorted, 0.75);
                svg.Rect(xs.Map(q1), y - 9, xs.Map(q3) - xs.Map(q1), 18, "box " + row.Css, Inv($"quartiles {q1:0.000} / {q2:0.000} / {q3:0.000} of {sorted.Count} pairs"));
                svg.Line(xs.Map(q2), y - 9, xs.Map(q2), y + 9, "median " + row.Css);
                for (int i = 0; i < row.Ratios.Count; i++)
                {
                    // Deterministic jitter spreads the dots so pairs with equal ratios stay visible.
                    double jitter = ((i * 7919 % 13) - 6) * 1.2;
                    svg.Circle(xs.Map(row.Ratios[i]), y + jitter, 2, "pair-dot " + row.Css + (xs.Contains(row.Ratios[i]) ? "" : " clipped"), Inv($"pair {i + 1}: {row.Ratios[i]:0.000}x"));
                }
            }
            else
            {
                svg.Text(xs.Map(1) + 6, y + 4, "no samples", "annotation");
            }
            if (row.Interval is { } iv)
            {
                svg.Line(xs.Map(iv.Low), y + 14, xs.Map(iv.High), y + 14, "interval-bar " + row.Css);
                svg.Circle(xs.Map(iv.Estimate), y + 14, 3.5, "estimate " + row.Css, $"{iv.Text} at {iv.ConfidenceText}, {iv.Pairs} pairs");
                svg.Text(width - right + 12, y + 4, $"{iv.Text} at {iv.ConfidenceText}", "interval-text " + row.Css);
            }
        }
        return svg.ToString();
    }

    /// <summary>The scale of a table's interval column, from the intervals it shows (extreme bounds of a few pairs are clipped).</summary>
    public static LinearScale StripScale(IEnumerable<ReportInterval> intervals)
    {
        var list = intervals.ToList();
        var values = list.Select(i => i.Estimate).Concat(list.SelectMany(i => new[] { i.Low, i.High })).Where(double.IsFinite).Append(1.0).ToList();
        var (low, high) = Trimmed(values);
        return LinearScale.Nice(low, high, StripPad, StripWidth - StripPad, 6);
    }

    /// <summary>The interval column's axis: ticks, labels and its title, for the head and foot of a table.</summary>
    public static string StripAxis(LinearScale scale, bool below, string title)
    {
        const double height = 44;
        var svg = new SvgWriter(StripWidth, height, "strip-axis", title);
        string format = scale.TickFormat();
        svg.Raw("<g class=\"axis x-axis\">");
        double axisY = below ? 2 : height - 2;
        svg.Line(scale.From, axisY, scale.To, axisY, "axis-line");
        foreach (var t in scale.Ticks())
        {
            double x = scale.Map(t);
            svg.Line(x, axisY, x, below ? axisY + 5 : axisY - 5, "tick");
            svg.Text(x, below ? axisY + 17 : axisY - 8, t.ToString(format, CultureInfo.InvariantCulture), "tick-label", "middle");
        }
        svg.Text(StripWidth / 2.0, below ? 38 : 12, title, "axis-title small", "middle");
        svg.Raw("</g>");
        return svg.ToString();
    }

    /// <summary>One row's interval on the column's scale, with the column's grid and the baseline line.</summary>
    /// <param name="neutral">Drawn grey whatever its decision (the A/A calibration: a difference there is noise or bias, not a result).</param>
    public static string Strip(LinearScale scale, ReportInterval interval, string label, bool neutral = false)
    {
        const double height = 22, y = 11;
        string css = neutral ? "neutral" : interval.Decision switch { SpeedupDecision.Faster => "faster", SpeedupDecision.Slower => "slower", _ => "neutral" };
        var svg = new SvgWriter(StripWidth, height, "strip " + css, label);
        foreach (var t in scale.Ticks()) svg.Line(scale.Map(t), 0, scale.Map(t), height, "grid");
        svg.Line(scale.Map(1), 0, scale.Map(1), height, "baseline-line");
        svg.Line(scale.Map(interval.Low), y, scale.Map(interval.High), y, "interval-bar " + css);
        if (!scale.Contains(interval.Low)) svg.Polygon([(scale.From - 6, y), (scale.From, y - 4), (scale.From, y + 4)], "clip-arrow " + css);
        if (!scale.Contains(interval.High)) svg.Polygon([(scale.To + 6, y), (scale.To, y - 4), (scale.To, y + 4)], "clip-arrow " + css);
        svg.Circle(scale.Map(interval.Estimate), y, 4, "estimate " + css, $"{interval.Text} at {interval.ConfidenceText}, {interval.Pairs} pairs");
        return svg.ToString();
    }

    /// <summary>The range of the values without wild extremes (a few pairs can give bounds far beyond every estimate), 1.0 included.</summary>
    private static (double Low, double High) Trimmed(IReadOnlyList<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        if (sorted.Count == 0) return (0.9, 1.1);
        double q1 = Quantile(sorted, 0.25), q3 = Quantile(sorted, 0.75), reach = Math.Max(0.05, 3 * (q3 - q1));
        // The baseline's 1.0 stays in view: every speedup is read against it.
        return (Math.Min(1, Math.Max(sorted[0], q1 - reach)), Math.Max(1, Math.Min(sorted[^1], q3 + reach)));
    }

    private static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(sorted.Count - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
