using System.Globalization;
using System.Net;
using System.Text;
using AutoPass.Core.Evidence;
using AutoPass.Core.Pinning;

namespace AutoPass.Core.Reporting;

/// <summary>
/// report.html: what was tried, what won and why. A forest plot of every measured trial's speedup interval
/// against the baseline, then the trial table. Self-contained (inline SVG), made from the ledger alone.
/// </summary>
internal static class HtmlReport
{
    public static string Render(IReadOnlyList<TrialRecord> trials, LockFile? pinned)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>AutoPass report</title>");
        html.AppendLine("<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}code{font-size:12px}.faster{color:#070}.slower{color:#a00}</style></head><body>");
        html.AppendLine("<h1>AutoPass report</h1>");
        if (pinned is not null)
        {
            html.Append("<p><b>Pinned:</b> <code>").Append(Encode(string.Join(' ', pinned.Baseline.Flags.Concat(pinned.Flags)))).Append("</code> — ").Append(Encode(pinned.Reason));
            if (pinned.Speedup is { } s)
                html.Append(Inv($" Confirmed speedup {s.Estimate:0.000}x ({s.Confidence * 100:0.##}% interval {s.Low:0.000}–{s.High:0.000})."));
            html.AppendLine("</p>");
            html.Append("<p>").Append(Encode($"{pinned.Compiler.Id} {pinned.Compiler.Version} ({pinned.Compiler.VersionRange}), {pinned.Machine.Cpu}, {pinned.Trials} trials")).AppendLine("</p>");
            if (pinned.Search is { } c)
                html.Append("<p><b>Search cost:</b> ").Append(Encode(Inv($"{c.MeasuredCandidates} candidates timed in {c.SearchSeconds / 60:0.#} min, {c.Races} races, median {c.MedianPairs:0.#} pairs each, {c.Builds} builds in {c.BuildSeconds:0} s"))).AppendLine("</p>");
        }
        var measured = trials.Where(t => t.Verdict is { Pairs: > 0 }).ToList();
        html.AppendLine("<h2>Speedup over the baseline, each interval at the confidence its trial was decided at</h2>");
        html.AppendLine(ForestPlot(measured));
        html.AppendLine("<h2>Trials</h2><table><tr><th>#</th><th>phase</th><th>flags</th><th>origin</th><th>build</th><th>output</th><th>verdict</th></tr>");
        foreach (var t in trials)
        {
            string css = t.Verdict?.Decision switch { Statistics.SpeedupDecision.Faster => "faster", Statistics.SpeedupDecision.Slower => "slower", _ => "" };
            html.Append(Inv($"<tr><td>{t.Trial}</td><td>{Ledger.EnumText(t.Phase)}</td><td><code>{Encode(string.Join(' ', t.Flags))}</code></td><td>{Encode(t.Origin)}</td>"));
            html.Append($"<td>{Encode(Ledger.EnumText(t.BuildStatus))}</td><td>{Encode(Ledger.EnumText(t.OutputCheck))}</td><td class=\"{css}\">{Encode(t.Verdict?.ToString() ?? t.BuildMessage ?? t.OutputCheckMessage ?? "")}</td></tr>");
            html.AppendLine();
        }
        html.AppendLine("</table></body></html>");
        return html.ToString();
    }

    private static string ForestPlot(IReadOnlyList<TrialRecord> trials)
    {
        if (trials.Count == 0) return "<p>No trial was measured.</p>";
        const int width = 720, row = 18, left = 260, right = 20, top = 20;
        double lo = Math.Min(0.95, trials.Min(t => t.Verdict!.Low)), hi = Math.Max(1.05, trials.Max(t => t.Verdict!.High));
        double X(double v) => left + (v - lo) / (hi - lo) * (width - left - right);
        int height = top + row * trials.Count + 20;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-size=\"11\">"));
        svg.Append(Inv($"<line x1=\"{X(1):0.#}\" y1=\"{top - 10}\" x2=\"{X(1):0.#}\" y2=\"{height - 15}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"));
        svg.Append(Inv($"<text x=\"{X(1):0.#}\" y=\"{height - 3}\" text-anchor=\"middle\">1.0 (baseline)</text>"));
        for (int i = 0; i < trials.Count; i++)
        {
            var t = trials[i];
            var v = t.Verdict!;
            double y = top + row * i + row / 2.0;
            string color = v.Decision switch { Statistics.SpeedupDecision.Faster => "#070", Statistics.SpeedupDecision.Slower => "#a00", _ => "#555" };
            string label = $"{t.Trial} {t.Phase}: {string.Join(' ', t.Flags)}";
            if (label.Length > 42) label = label[..41] + "…";
            svg.Append(Inv($"<text x=\"4\" y=\"{y + 4:0.#}\">{Encode(label)}</text>"));
            svg.Append(Inv($"<line x1=\"{X(v.Low):0.#}\" y1=\"{y:0.#}\" x2=\"{X(v.High):0.#}\" y2=\"{y:0.#}\" stroke=\"{color}\" stroke-width=\"2\"/>"));
            svg.Append(Inv($"<circle cx=\"{X(v.Speedup):0.#}\" cy=\"{y:0.#}\" r=\"3\" fill=\"{color}\"/>"));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
