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
        }
        else
        {
            Row(md, "Result", $"**baseline kept**: {baseline} is pinned, no flags added");
            Row(md, "Why", lockFile.Reason);
        }
        if (lockFile.Files is { Count: > 0 } files)
            Row(md, "Hot files", string.Join(", ", files.Select(f => Code(f.Path) + (f.Share is { } share ? Inv($" {share * 100:0.#}%") : ""))) + ": the flags apply to these only");
        Row(md, "Compiler", $"{lockFile.Compiler.Id} {lockFile.Compiler.Version}, pinned for {Code(lockFile.Compiler.VersionRange)}");
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
                md.AppendLine(Inv($"| {Cell(b.Name)} | {b.Speedup!.Estimate:0.000}x | {b.Speedup.Low:0.000}–{b.Speedup.High:0.000} |"));
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
            md.AppendLine($"{pinned} fit {report.Compiler} (pinned for {lockFile?.Compiler.Id} {Code(lockFile?.Compiler.VersionRange ?? "")}).");
            Warnings(md, report);
            return md.ToString();
        }

        md.AppendLine($"## AutoPass verify: the pinned flags of {Code(ProjectName(request))} are stale").AppendLine();
        if (lockFile is not null)
            md.AppendLine($"Pinned: {pinned} for {lockFile.Compiler.Id} {Code(lockFile.Compiler.VersionRange)} (tuned on {lockFile.Compiler.Id} {lockFile.Compiler.Version}); installed: {report.Compiler ?? "not checked"}.").AppendLine();
        foreach (var finding in report.Findings)
            md.AppendLine($"- [{finding.Code}]({DiagnosticCode.HelpLink(finding.Code)}): {finding.Message} {finding.Fix}");
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
            md.AppendLine($"- [{warning.Code}]({DiagnosticCode.HelpLink(warning.Code)}): {warning.Message} {warning.Fix}");
    }

    private static string ProjectName(TuningRequest request) => Path.GetFileName(Path.TrimEndingDirectorySeparator(request.SourceDir));

    /// <summary>A path as the reader of a CI log wants it: relative to the directory the build runs in, when under it.</summary>
    private static string Shown(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private static void Row(StringBuilder md, string name, string value) => md.AppendLine($"| {name} | {value.Replace("|", "\\|")} |");

    private static string Cell(string text) => text.Replace("|", "\\|");

    private static string Code(string text) => $"`{text.Replace("`", "'")}`";

    private static string Shell(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '&' or ';') ? $"'{path.Replace("'", "'\\''")}'" : path;

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
