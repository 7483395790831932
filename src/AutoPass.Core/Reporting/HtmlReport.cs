using System.Globalization;
using System.Text;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Reporting;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, nothing fetched) drawn from a <see cref="ReportModel"/>:
/// what was pinned and why, progress of the search, the winner's pairs next to the A/A calibration per benchmark,
/// what each flag is worth, and every trial with its interval at the confidence it was decided at.
/// </summary>
internal static class HtmlReport
{
    public static string Render(ReportModel model)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>AutoPass report</title>");
        html.Append("<style>").Append(Style).AppendLine("</style></head><body>");
        html.AppendLine("<h1>AutoPass report</h1>");
        Headline(html, model);
        html.AppendLine("<h2 id=\"progress\">Best so far</h2>");
        html.AppendLine("<p class=\"how\">Dots: each screened candidate's estimated speedup. Line and band: the candidate the winner pick would choose at that point " +
                        "(confidently faster, no benchmark slower, best lower bound) with its screening interval. Screening estimates of the best of many are optimistic; the pinned figure comes from the fresh confirmation.</p>");
        html.Append("<div class=\"pair\">").Append(ReportCharts.BestSoFar(model.Progress, overTime: false, model.MinEffect))
            .Append(ReportCharts.BestSoFar(model.Progress, overTime: true, model.MinEffect)).AppendLine("</div>");
        Benchmarks(html, model);
        Confirmation(html, model);
        Attribution(html, model);
        Trials(html, model);
        if (model.SkippedLedgerLines > 0)
            html.Append("<p class=\"note\">").Append(model.SkippedLedgerLines).AppendLine(" ledger line(s) could not be read and are not shown.</p>");
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void Headline(StringBuilder html, ReportModel model)
    {
        var h = model.Headline;
        string outcomeCss = h.Outcome switch { "improved" => "improved", "baseline" => "kept", _ => "unfinished" };
        html.Append("<section class=\"headline ").Append(outcomeCss).AppendLine("\">");
        html.Append("<p class=\"verdict\">").Append(h.Outcome switch
        {
            "improved" => "Pinned: faster flags, confirmed in a fresh measurement",
            "baseline" => "Pinned: the baseline (no candidate was confirmed faster)",
            _ => "Unfinished session: nothing pinned",
        }).AppendLine("</p>");
        html.AppendLine("<table class=\"facts\">");
        Fact(html, "baseline flags", $"<code>{E(Flags(h.BaselineFlags))}</code>");
        Fact(html, "pinned flags", h.PinnedFlags.Count == 0 ? "none (the baseline's)"
            : $"<code>{E(string.Join(' ', h.PinnedFlags))}</code> on top of the baseline's" + (h.PinnedFiles.Count == 0 ? "" : $", on {(h.PinnedFiles.Count == 1 ? "the hot file" : $"the {h.PinnedFiles.Count} hot files")} only"));
        if (h.PinnedFiles.Count > 0)
            Fact(html, "hot files", string.Join(", ", h.PinnedFiles.Select(f =>
                $"<code>{E(f.Path)}</code>" + (f.Share is { } share ? $" {E(ReportInterval.Percent(share))} of the instructions" : ""))) + "; every other file keeps the baseline's flags");
        if (h.Speedup is { } s)
            Fact(html, "speedup", $"<b class=\"big\">{E(s.Estimate.ToString("0.000", CultureInfo.InvariantCulture))}x</b> {E(s.Text)} at {E(s.ConfidenceText)} confidence, geometric mean over the benchmarks, {s.Pairs} pairs each (fresh confirmation)");
        Fact(html, "why", E(h.Reason));
        if (model.MinEffect is { } m) Fact(html, "smallest claim", $"{E(ReportInterval.Percent(m))} (a speedup below 1+δ = {E((1 + m).ToString("0.000", CultureInfo.InvariantCulture))}x is never claimed)");
        if (h.Objective is not null) Fact(html, "measured", E(h.Objective));
        if (h.Compiler is not null) Fact(html, "compiler", E(h.Compiler));
        if (h.Machine is not null) Fact(html, "machine", E(h.Machine));
        if (h.SearchCost is not null) Fact(html, "search cost", E(h.SearchCost));
        if (h.Project is not null) Fact(html, "project", $"<code>{E(h.Project)}</code>");
        if (h.StartedAt is { } at) Fact(html, "started", E(at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)) + (h.Tool is null ? "" : $", AutoPass {E(h.Tool)}"));
        html.AppendLine("</table></section>");
    }

    private static void Benchmarks(StringBuilder html, ReportModel model)
    {
        html.AppendLine("<h2 id=\"benchmarks\">Per benchmark: the winner's pairs next to the A/A calibration</h2>");
        html.AppendLine("<p class=\"how\">Each dot is one pair of runs (baseline ÷ candidate, run back to back in random order); the box spans the middle half of the pairs, " +
                        "the line under it is the verdict's interval with its estimate. The A/A rows time the baseline against a copy of itself: the spread there is this machine's noise. " +
                        "Dashed: no change (1.0); dotted: the smallest speedup the session claims.</p>");
        html.AppendLine(ReportCharts.PairRatios(model.Benchmarks, model.MinEffect));
        html.AppendLine("<table class=\"data benchmarks\"><thead><tr><th>benchmark</th><th>A/A calibration (noise)</th><th>winner</th><th>this machine resolves about</th></tr></thead><tbody>");
        foreach (var b in model.Benchmarks)
            html.Append("<tr><td>").Append(E(b.Benchmark)).Append("</td><td>").Append(IntervalCell(b.Calibration)).Append("</td><td>")
                .Append(b.Winner is null ? E(b.WinnerLabel) : IntervalCell(b.Winner) + $" <span class=\"dim\">({E(b.WinnerLabel)}, fresh confirmation)</span>")
                .Append("</td><td>").Append(b.ResolvableEffect is { } r ? E(ReportInterval.Percent(r)) : "").AppendLine("</td></tr>");
        html.AppendLine("</tbody></table>");
    }

    private static void Confirmation(StringBuilder html, ReportModel model)
    {
        if (model.Confirmation is not { } series) return;
        html.Append("<h2 id=\"confirmation\">The confirmation over time (trial ").Append(series.Trial).AppendLine(")</h2>");
        html.AppendLine("<p class=\"how\">Each dot is one pair of the fresh confirmation (baseline ÷ candidate, geometric mean over the benchmarks), in the order the pairs ran; " +
                        "beside it, the baseline's own time per pair. A shared machine moves between states; when the candidate's effect moved with it, the pairs split into regimes " +
                        "(bands: each regime's interval) and the claim is the conservative regime's.</p>");
        if (series.Regimes.Count > 0)
            html.Append($"<p class=\"note\">The effect moved during the confirmation ({DiagnosticCode.EffectMoved}): ").Append(E(series.Note ?? "")).AppendLine(".</p>");
        else
            html.AppendLine("<p class=\"note\">The effect held still over the confirmation: one regime.</p>");
        html.Append("<div class=\"pair\">").Append(ReportCharts.ConfirmationOverTime(series, model.MinEffect)).Append(ReportCharts.BaselineOverTime(series)).AppendLine("</div>");
    }

    private static void Attribution(StringBuilder html, ReportModel model)
    {
        html.AppendLine("<h2 id=\"attribution\">What each flag of the winner is worth (minimization)</h2>");
        if (model.Attribution.Count == 0)
        {
            html.AppendLine("<p class=\"note\">Nothing was minimized: the winner had a single flag, or there was no winner.</p>");
            return;
        }
        html.AppendLine("<p class=\"how\">Each row is the winner's set without one flag, timed head to head against the set with it. Worth = speedup of the set with the flag over the set without it; " +
                        "a flag stays only when leaving it out is confidently slower.</p>");
        var scale = ReportCharts.StripScale(model.Attribution.Select(a => a.Worth).OfType<ReportInterval>());
        html.Append("<table class=\"data attribution\"><thead><tr><th>trial</th><th>flag</th><th>decision</th><th>worth</th><th>decided at</th><th>")
            .Append(ReportCharts.StripAxis(scale, below: false, "worth of the flag (with ÷ without)")).AppendLine("</th></tr></thead><tbody>");
        foreach (var a in model.Attribution)
        {
            html.Append(Inv($"<tr class=\"{(a.Kept ? "kept" : "dropped")}\"><td>{a.Trial}</td><td><code>{E(a.Flag ?? "(not recorded)")}</code>"));
            if (a.Flag is null) html.Append("<br><span class=\"dim\">without it: <code>").Append(E(string.Join(' ', a.Without))).Append("</code></span>");
            html.Append("</td><td>").Append(E(a.Outcome)).Append("</td><td>").Append(a.Worth is { } w ? E(w.Text) : "").Append("</td><td>")
                .Append(a.Worth is { } c ? E($"{c.ConfidenceText}, {c.Pairs} pairs") : "").Append("</td><td class=\"plot\">")
                .Append(a.Worth is { } iv ? ReportCharts.Strip(scale, iv, $"worth of {a.Flag}") : "<span class=\"dim\">not timed</span>").AppendLine("</td></tr>");
        }
        html.Append("</tbody><tfoot><tr><td colspan=\"5\"></td><td>").Append(ReportCharts.StripAxis(scale, below: true, "worth of the flag (with ÷ without)")).AppendLine("</td></tr></tfoot></table>");
    }

    private static void Trials(StringBuilder html, ReportModel model)
    {
        html.AppendLine("<h2 id=\"trials\">Every trial</h2>");
        html.Append("<p class=\"how\">Speedup over the reference named, with the interval at the confidence the trial was decided at: screening and minimizing decide at each look of a sequential test " +
                    "at a stricter level than the session's (Bonferroni over the planned looks), the confirmation at its own. Races screen several candidates against one baseline run per round. " +
                    "A trial whose binaries equal an earlier one's is not timed again: it is identical to that trial.");
        if (model.SessionConfidence is { } c) html.Append(" The session's confidence: ").Append(E(ReportInterval.Percent(c))).Append('.');
        html.AppendLine("</p>");
        var scale = ReportCharts.StripScale(model.Trials.Where(t => t.Stage != TrialStage.Minimizing).Select(t => t.Interval).OfType<ReportInterval>());
        html.Append("<table class=\"data trials\"><thead><tr><th>#</th><th>stage</th><th>race</th><th>flags</th><th>outcome</th><th>speedup [interval]</th><th>decided at</th><th>")
            .Append(ReportCharts.StripAxis(scale, below: false, "speedup over the baseline")).AppendLine("</th></tr></thead><tbody>");
        foreach (var t in model.Trials)
        {
            string rowCss = t.Stage == TrialStage.Calibration ? "calibration" : t.IsPinned ? "pinned" : t.IsScreenedWinner ? "winner" : t.Interval?.Decision switch
            {
                Statistics.SpeedupDecision.Faster => "faster",
                Statistics.SpeedupDecision.Slower => "slower",
                _ => "",
            };
            html.Append(Inv($"<tr class=\"trial {rowCss}\" data-trial=\"{t.Trial}\"><td>{t.Trial}</td><td>{E(StageText(t.Stage))}</td><td>{(t.Race is { } r ? r.ToString(CultureInfo.InvariantCulture) + (t.LeftRace is { } l ? $"–{l}" : "") : "")}</td>"));
            html.Append("<td class=\"flags\"><code>").Append(E(t.FlagsText)).Append("</code>");
            if (t.Stage == TrialStage.Minimizing) html.Append("<br><span class=\"dim\">against ").Append(E(t.Reference)).Append("</span>");
            html.Append("<br><span class=\"dim\">").Append(E(t.Origin)).Append(t.Rationale is { Length: > 0 } why ? ": " + E(why) : "").Append("</span></td>");
            html.Append("<td>").Append(E(t.Outcome));
            if (t.IsPinned) html.Append(" <span class=\"badge pinned\">pinned</span>");
            if (t.IsScreenedWinner) html.Append(" <span class=\"badge winner\">screening winner</span>");
            if (t.RaceExit is not null) html.Append("<br><span class=\"dim\">").Append(E(t.RaceExit)).Append("</span>");
            if (t.IdenticalLater.Count > 0) html.Append("<br><span class=\"dim\">also stands for trial ").Append(string.Join(", ", t.IdenticalLater)).Append("</span>");
            if (t.Detail is { Length: > 0 } d) html.Append("<br><span class=\"detail\">").Append(E(d)).Append("</span>");
            html.Append("</td><td class=\"num\">").Append(t.Interval is { } i ? E(i.Text) : "").Append("</td><td class=\"level\">")
                .Append(t.Interval is { } iv ? $"<b>{E(iv.ConfidenceText)}</b> {E(DecidedBy(t.Stage))}<br><span class=\"dim\">{iv.Pairs} pairs</span>" : "").Append("</td><td class=\"plot\">");
            if (t.Interval is { } plotted && t.Stage != TrialStage.Minimizing) html.Append(ReportCharts.Strip(scale, plotted, $"trial {t.Trial}", neutral: t.Stage == TrialStage.Calibration));
            else if (t.Interval is not null) html.Append("<span class=\"dim\">head to head, see the flags above</span>");
            else if (t.IdenticalTo is { } same) html.Append("<span class=\"dim\">").Append(same == 0 ? "= baseline" : Inv($"= trial {same}")).Append("</span>");
            html.AppendLine("</td></tr>");
        }
        html.Append("</tbody><tfoot><tr><td colspan=\"7\"></td><td>").Append(ReportCharts.StripAxis(scale, below: true, "speedup over the baseline")).AppendLine("</td></tr></tfoot></table>");
    }

    private static string StageText(TrialStage stage) => stage switch
    {
        TrialStage.Calibration => "calibration (A/A)",
        TrialStage.Minimizing => "minimizing",
        TrialStage.Confirmation => "confirmation",
        _ => "screening",
    };

    /// <summary>What the level in "decided at" belongs to.</summary>
    private static string DecidedBy(TrialStage stage) => stage switch
    {
        TrialStage.Calibration => "calibration",
        TrialStage.Confirmation => "confirmation",
        TrialStage.Minimizing => "minimizing look",
        _ => "screening look",
    };

    private static string IntervalCell(ReportInterval? interval) =>
        interval is null ? "" : $"{E(interval.Text)} <span class=\"dim\">at {E(interval.ConfidenceText)}, {interval.Pairs} pairs</span>";

    private static void Fact(StringBuilder html, string name, string valueHtml) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(valueHtml).AppendLine("</td></tr>");

    private static string Flags(IReadOnlyList<string> flags) => flags.Count == 0 ? "(none)" : string.Join(' ', flags);

    private static string E(string text) => SvgWriter.Encode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1240px;padding:0 16px;color:#1d2329;background:#fff}
        h1{font-size:24px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #d5dbe1;padding-bottom:4px}
        code{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
        .how{color:#4a5560;max-width:980px;margin:4px 0 10px}.note{color:#6a4b00;background:#fff8e1;padding:6px 10px;border-radius:4px}
        .dim{color:#66717c;font-size:12px}.detail{color:#8a2a1a;font-size:12px;overflow-wrap:anywhere}
        .headline{border:1px solid #d5dbe1;border-left:6px solid #888;border-radius:6px;padding:10px 16px;background:#f8fafb}
        .headline.improved{border-left-color:#1a7f37}.headline.kept{border-left-color:#9a6700}.headline.unfinished{border-left-color:#a40e26}
        .verdict{font-size:17px;font-weight:600;margin:2px 0 8px}.big{font-size:18px}
        .facts th{text-align:left;font-weight:600;color:#4a5560;padding:2px 14px 2px 0;vertical-align:top;white-space:nowrap}.facts td{padding:2px 0}
        .pair{display:flex;gap:16px;flex-wrap:wrap}
        table.data{border-collapse:collapse;width:100%;margin-top:6px}
        table.data th,table.data td{border-bottom:1px solid #e3e8ec;padding:4px 8px;text-align:left;vertical-align:middle}
        table.data thead th{background:#f1f4f6;font-weight:600;vertical-align:bottom}
        table.data td.flags{min-width:260px;max-width:420px}table.data td.num,table.data td.level{white-space:nowrap;font-variant-numeric:tabular-nums}
        table.data td.plot,table.data th:last-child{width:240px;padding:0 4px}
        tr.faster td:first-child{border-left:4px solid #1a7f37}tr.slower td:first-child{border-left:4px solid #cf222e}
        tr.winner{background:#eef6ff}tr.calibration{background:#f6f7f8}tr.pinned{background:#e9f7ee}tr.dropped td{color:#55606a}
        .badge{font-size:11px;border-radius:8px;padding:1px 7px;color:#fff;white-space:nowrap}.badge.pinned{background:#1a7f37}.badge.winner{background:#0969da}
        svg{display:block;font:11px system-ui,sans-serif;overflow:visible}
        svg .grid{stroke:#e6eaee;stroke-width:1}svg .axis-line{stroke:#59636e;stroke-width:1}svg .tick{stroke:#59636e}
        svg .tick-label{fill:#3b444d}svg .axis-title{fill:#1d2329;font-size:12px}svg .axis-title.small{font-size:11px;fill:#4a5560}
        svg .baseline-line{stroke:#59636e;stroke-dasharray:4 3}svg .min-effect-line{stroke:#9a6700;stroke-dasharray:1 3}
        svg .annotation{fill:#66717c;font-size:11px}svg .row-label{fill:#3b444d}svg .row-label.strong{font-weight:600;fill:#1d2329}svg .row-separator{stroke:#d5dbe1}
        svg .trial-dot{fill:#8c959f;opacity:.75}svg .best-line{fill:none;stroke:#1a7f37;stroke-width:2}svg .best-band{fill:#1a7f37;opacity:.15}
        svg .regime-band{fill:#8c959f;opacity:.15}svg .regime-band.claimed{fill:#9a6700;opacity:.2}svg .regime-line{stroke:#59636e;stroke-width:2;fill:none}svg .regime-line.claimed{stroke:#9a6700}
        svg .regime-edge{stroke:#9a6700;stroke-dasharray:2 2}svg .baseline-series{fill:none;stroke:#0969da;stroke-width:1.5}
        svg .pair-dot{opacity:.6}svg .pair-dot.aa{fill:#6e7781}svg .pair-dot.winner{fill:#1a7f37}svg .pair-dot.clipped{opacity:.25}
        svg .box{fill:none;stroke-width:1.2}svg .box.aa,svg .median.aa{stroke:#6e7781}svg .box.winner,svg .median.winner{stroke:#1a7f37}svg .median{stroke-width:2}
        svg .interval-bar{stroke-width:3;stroke-linecap:round}svg .interval-bar.aa{stroke:#6e7781}svg .interval-bar.winner{stroke:#1a7f37}
        svg .estimate{stroke:#fff;stroke-width:1}svg .estimate.aa{fill:#424a53}svg .estimate.winner{fill:#116329}
        svg .interval-text{font-size:11px}svg .interval-text.aa{fill:#424a53}svg .interval-text.winner{fill:#116329}
        svg .interval-bar.faster{stroke:#1a7f37}svg .interval-bar.slower{stroke:#cf222e}svg .interval-bar.neutral{stroke:#6e7781}
        svg .estimate.faster,svg .clip-arrow.faster{fill:#116329}svg .estimate.slower,svg .clip-arrow.slower{fill:#a40e26}svg .estimate.neutral,svg .clip-arrow.neutral{fill:#424a53}
        """;
}
