using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;

namespace AutoPass.Core.Reporting;

/// <summary>
/// obj/autopass/report.html, made from the session's ledger (complete once the pinned line is written) and its lock
/// file: the same page `autopass report` makes later from the same files.
/// </summary>
internal sealed class HtmlReportExporter : ISessionExporter
{
    public void Export(SessionResult result) => Write(ReportSource.FromLedger(result.LedgerPath, result.Lock), result.Findings.Paths.Report);

    /// <summary>Draws the report of <paramref name="source"/> into <paramref name="path"/>.</summary>
    public static void Write(ReportSource source, string path) => File.WriteAllText(path, HtmlReport.Render(ReportModelBuilder.Build(source)));

    /// <summary>
    /// `autopass report`: the report of the ledger's last session, with the lock file beside it when there is one
    /// (it names the compiler, the machine and the search cost). Returns the ledger lines that could not be read.
    /// </summary>
    public static int WriteFromFiles(string ledgerPath, string lockPath, string reportPath)
    {
        if (!File.Exists(ledgerPath))
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"There is no ledger at {ledgerPath}.", "Run a tuning session first (-p:AutoPassTune=true, or autopass tune).");
        LockFile? lockFile = null;
        try { if (File.Exists(lockPath)) lockFile = LockFile.Parse(File.ReadAllText(lockPath)); }
        catch (System.Text.Json.JsonException e)
        {
            throw new AutoPassException(DiagnosticCode.LockFileInvalid, $"The lock file {lockPath} is not valid: {e.Message}", "Restore it from version control or retune.");
        }
        var source = ReportSource.FromLedger(ledgerPath, lockFile);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
        Write(source, reportPath);
        return source.SkippedLines;
    }
}
