using System.Globalization;
using System.Text;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Reporting;

/// <summary>
/// The CI step summary: where it goes. GitHub Actions renders the markdown appended to the file named by
/// GITHUB_STEP_SUMMARY on the run's page; AutoPassSummaryFile names another (any CI that keeps a markdown file).
/// </summary>
internal static class StepSummaryFile
{
    public const string GitHubVariable = "GITHUB_STEP_SUMMARY";

    /// <summary>AutoPassSummaryFile, else $GITHUB_STEP_SUMMARY; null when neither is set (no summary is written).</summary>
    public static string? For(TuningRequest request) =>
        request.SummaryFile is { Length: > 0 } file ? Path.GetFullPath(file)
        : Environment.GetEnvironmentVariable(GitHubVariable) is { Length: > 0 } github ? github
        : null;

    /// <summary>Appends: several steps (and several AutoPass commands in one step) share the file.</summary>
    public static void Append(string path, string markdown)
    {
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        File.AppendAllText(path, markdown.ReplaceLineEndings("\n") + "\n");
    }
}

/// <summary>What verify found, for its summary: the pinned set, the compiler it checked against, the findings.</summary>
/// <param name="Compiler">The installed compiler ("gcc 12.2.0"); null when verify stopped before probing it.</param>
/// <param name="Warnings">Findings that do not fail verify (a pinned file whose code changed, AP5011).</param>
internal sealed record VerifyReport(TuningRequest Request, LockFile? Lock, string? Compiler, IReadOnlyList<StalenessFinding> Findings,
    IReadOnlyList<StalenessFinding>? Warnings = null);

/// <summary>The markdown of a session's result and of verify's verdict, as CI step summaries.</summary>
internal static class MarkdownSummary
{
    public static string Session(SessionResult result)
    {
        var (request, lockFile) = (result.Findings.Request, result.Lock);
        var md = new StringBuilder();
        md.AppendLine($"## AutoPass: tuning {Code(ProjectName(request))}").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        string baseline = Code(string.Join(' ', lockFile.Baseline.Flags));
        if (lockFile.Outcome == "improved")
        {
            Row(md, "Result", $"**improved**: {Code(string.Join(' ', lockFile.Flags))} pinned on top of {baseline}");
            string proxy = lockFile.Objective == "time" ? "" : $" in {lockFile.Objective}";
            if (lockFile.Speedup is { } s)
                Row(md, "Speedup", Inv($"**{s.Estimate:0.000}x**{proxy}, {s.Confidence * 100:0.##}% interval {s.Low:0.000}–{s.High:0.000} (confirmed in a fresh run of {s.Pairs} pairs per benchmark)"));
            if (lockFile.Speedup is { Regimes: { Count: > 1 } regimes } moved)
                Row(md, "Regimes", Text($"{DiagnosticCode.EffectMoved}: the effect moved during the confirmation; the speedup is the conservative regime's. " +
                    string.Join("; ", regimes.Select(r => Inv($"pairs {r.FirstPair}-{r.LastPair}: {r.Estimate:0.000}x [{r.Low:0.000}, {r.High:0.000}]{(r.Claimed ? " (claimed)" : "")}"))) +
                    (moved.RegimeNote is { } note ? $" ({note})" : "")));
        }
        else
        {
            Row(md, "Result", $"**baseline kept**: {baseline} is pinned, no flags added");
            Row(md, "Why", Text(lockFile.Reason));
        }
        if (lockFile.Files is { Count: > 0 } files)
            Row(md, "Hot files", string.Join(", ", files.Select(f => Code(f.Path) + (f.Share is { } share ? Inv($" {share * 100:0.#}%") : ""))) + ": the flags apply to these only");
        Row(md, "Compiler", $"{Text(lockFile.Compiler.Id)} {Text(lockFile.Compiler.Version)}, pinned for {Code(lockFile.Compiler.VersionRange)}");
        string reuse = result.ReusedMeasurements > 0 ? $", {result.ReusedMeasurements} reused identical binaries" : "";
        Row(md, "Trials", $"{lockFile.Trials} of {request.MaxTrials}{reuse}");
        var cost = result.Findings.Cost;
        Row(md, "Cost", cost.Sentence);
        Row(md, "Pinned files", $"{Code(Shown(request.OutputDir))} ({PinnedFiles.PropsName}, {PinnedFiles.CMakeName}, {PinnedFiles.LockName}): check them in");

        var measured = lockFile.Benchmarks.Where(b => b.Speedup is not null).ToList();
        if (measured.Count > 0)
        {
            md.AppendLine().AppendLine("| Benchmark | Speedup | Interval |").AppendLine("|---|---:|---|");
            foreach (var b in measured)
                md.AppendLine(Inv($"| {Text(b.Name)} | {b.Speedup!.Estimate:0.000}x | {b.Speedup.Low:0.000}–{b.Speedup.High:0.000} |"));
        }
        if (lockFile.Attribution is { Count: > 0 } attribution)
        {
            md.AppendLine().AppendLine("| Pinned flag | Worth | Interval |").AppendLine("|---|---:|---|");
            foreach (var a in attribution)
                md.AppendLine(Inv($"| {Code(a.Flag)} | {a.Speedup:0.000}x | {a.Low:0.000}–{a.High:0.000} |"));
        }
        md.AppendLine().AppendLine($"Report: {Code(Shown(result.Findings.Paths.Report))}; every trial: {Code(Shown(result.LedgerPath))}.");
        return md.ToString();
    }

    public static string Verify(VerifyReport report)
    {
        var md = new StringBuilder();
        var (request, lockFile) = (report.Request, report.Lock);
        string pinned = lockFile is null ? "" : Code(string.Join(' ', lockFile.Baseline.Flags.Concat(lockFile.Flags)));
        if (report.Findings.Count == 0)
        {
            md.AppendLine($"## AutoPass verify: the pinned flags of {Code(ProjectName(request))} are current").AppendLine();
            md.AppendLine($"{pinned} fit {Text(report.Compiler ?? "")} (pinned for {Text(lockFile?.Compiler.Id ?? "")} {Code(lockFile?.Compiler.VersionRange ?? "")}).");
            Warnings(md, report);
            return md.ToString();
        }

        md.AppendLine($"## AutoPass verify: the pinned flags of {Code(ProjectName(request))} are stale").AppendLine();
        if (lockFile is not null)
            md.AppendLine($"Pinned: {pinned} for {Text(lockFile.Compiler.Id)} {Code(lockFile.Compiler.VersionRange)} (tuned on {Text(lockFile.Compiler.Id)} {Text(lockFile.Compiler.Version)}); installed: {Text(report.Compiler ?? "not checked")}.").AppendLine();
        foreach (var finding in report.Findings)
            md.AppendLine($"- [{finding.Code}]({DiagnosticCode.HelpLink(finding.Code)}): {Text(finding.Message)} {Text(finding.Fix)}");
        Warnings(md, report);
        md.AppendLine().AppendLine("To fix it, retune with the installed compiler and check in the new files:").AppendLine();
        md.AppendLine("```sh");
        md.AppendLine($"dotnet build {Shell(Shown(request.SourceDir))} -p:AutoPassTune=true   # the project that references AutoPass.Build");
        md.AppendLine($"git add {Shell(Shown(request.OutputDir))} && git commit -m \"Retune the pinned compiler flags\"");
        md.AppendLine("```");
        return md.ToString();
    }

    private static void Warnings(StringBuilder md, VerifyReport report)
    {
        if (report.Warnings is not { Count: > 0 } warnings) return;
        md.AppendLine().AppendLine("Warnings (verify still passes on these alone):").AppendLine();
        foreach (var warning in warnings)
            md.AppendLine($"- [{warning.Code}]({DiagnosticCode.HelpLink(warning.Code)}): {Text(warning.Message)} {Text(warning.Fix)}");
    }

    private static string ProjectName(TuningRequest request) => Path.GetFileName(Path.TrimEndingDirectorySeparator(request.SourceDir));

    /// <summary>A path as the reader of a CI log wants it: relative to the directory the build runs in, when under it.</summary>
    private static string Shown(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private static void Row(StringBuilder md, string name, string value) => md.AppendLine($"| {name} | {value.Replace("|", "\\|")} |");

    /// <summary>
    /// Lock-derived text as plain markdown text: every character that could start a link, an image, emphasis, HTML or
    /// a code span is backslash-escaped (CommonMark escapes any ASCII punctuation), and line breaks become spaces so
    /// the text stays inside its table row or list item.
    /// </summary>
    internal static string Text(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in OneLine(text))
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '!' or '~' or '&' or '#') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>
    /// Lock-derived text as an inline code span, whatever it holds: fenced by one more backtick than its longest run of
    /// backticks, so none inside can close it, and padded when it starts or ends with one. Inside a span nothing else is
    /// markdown; a pipe is escaped by the table row it goes into.
    /// </summary>
    internal static string Code(string text)
    {
        text = OneLine(text);
        int longestRun = 0, run = 0;
        foreach (char c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
        }
        string fence = new('`', longestRun + 1);
        string pad = text.StartsWith('`') || text.EndsWith('`') ? " " : "";
        return $"{fence}{pad}{text}{pad}{fence}";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>A path as one shell word inside the fenced block: single-quoted unless plain; never a line break, which could end the fence.</summary>
    private static string Shell(string path)
    {
        path = OneLine(path);
        return path.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '&' or ';' or '`' or '\\' or '|' or '<' or '>' or '(' or ')' or '*' or '?')
            ? $"'{path.Replace("'", "'\\''")}'" : path;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The session's markdown summary, appended to the CI step summary when there is one.</summary>
internal sealed class MarkdownSummaryExporter : ISessionExporter
{
    public void Export(SessionResult result)
    {
        if (StepSummaryFile.For(result.Findings.Request) is { } path) StepSummaryFile.Append(path, MarkdownSummary.Session(result));
    }
}
