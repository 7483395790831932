using System.Globalization;
using System.Text;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Reporting;

/// <summary>The CI step summary of autopass recheck: the re-measured speedup next to the pinned one, and the verdict.</summary>
internal static class RecheckSummary
{
    public static string Markdown(TuningRequest request, LockFile lockFile, PinnedClaimCheck check)
    {
        var md = new StringBuilder();
        string project = MarkdownSummary.Code(Path.GetFileName(Path.TrimEndingDirectorySeparator(request.SourceDir)));
        string pinned = MarkdownSummary.Code(string.Join(' ', lockFile.Baseline.Flags.Concat(lockFile.Flags)));
        string heading = check.Status switch
        {
            PinnedClaimStatus.Holds => "the pinned claim holds",
            PinnedClaimStatus.NotHeld => "the pinned claim no longer holds",
            _ => "nothing claimed",
        };
        md.AppendLine($"## AutoPass recheck of {project}: {heading}").AppendLine();
        if (check.Status == PinnedClaimStatus.NothingClaimed)
        {
            md.AppendLine($"{pinned} builds; {MarkdownSummary.Text(check.Reason)}, so there is nothing to measure.");
            return md.ToString();
        }
        var (claimed, measured) = (check.Claimed!, check.Measured!);
        md.AppendLine($"Pinned: {pinned} against the baseline {MarkdownSummary.Code(string.Join(' ', lockFile.Baseline.Flags))}.").AppendLine();
        md.AppendLine("| | Speedup | Interval | Pairs |").AppendLine("|---|---:|---|---:|");
        md.AppendLine(Inv($"| pinned (tuning's confirmation) | {claimed.Estimate:0.000}x | {claimed.Low:0.000}–{claimed.High:0.000} | {claimed.Pairs} |"));
        md.AppendLine(Inv($"| **re-measured today** | **{measured.Speedup:0.000}x** | {measured.Low:0.000}–{measured.High:0.000} | {measured.Pairs} |"));
        if (measured.Benchmarks.Count > 1)
            foreach (var b in measured.Benchmarks)
                md.AppendLine(Inv($"| {MarkdownSummary.Text(b.Name)} | {b.Verdict.Speedup:0.000}x | {b.Verdict.Low:0.000}–{b.Verdict.High:0.000} | {b.Verdict.Pairs} |"));
        md.AppendLine();
        if (check.Status == PinnedClaimStatus.Holds)
            md.AppendLine($"The claim holds: {MarkdownSummary.Text(check.Reason)}.");
        else
        {
            md.AppendLine($"[{DiagnosticCode.PinnedClaimNotHeld}]({DiagnosticCode.HelpLink(DiagnosticCode.PinnedClaimNotHeld)}): {MarkdownSummary.Text(check.Reason)}.").AppendLine();
            md.AppendLine("Retune on the machine as it is now and check in the new files (`dotnet build -p:AutoPassTune=true`, or `autopass tune`).");
        }
        return md.ToString();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
