using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Reporting;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>autopass report: draws report.html again from the ledger and the lock file, without building or measuring.</summary>
internal static class ReportCommand
{
    public static int Run(TuningRequest request, ConsoleDiagnosticSink sink)
    {
        var paths = ArtifactPaths.For(request);
        int skipped = HtmlReportExporter.WriteFromFiles(paths.Ledger, Path.Combine(paths.OutputDir, PinnedFiles.LockName), paths.Report);
        if (skipped > 0)
            sink.Warning(DiagnosticCode.LedgerLinesSkipped, $"{skipped} line(s) of {paths.Ledger} could not be read and are left out of the report. Nothing to do unless it repeats.");
        sink.Info($"report: {paths.Report}");
        return 0;
    }
}
