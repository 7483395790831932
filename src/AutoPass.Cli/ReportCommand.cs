using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Reporting;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>
/// autopass report: draws report.html again from the ledger and the lock file, without building or measuring,
/// and shows the last session's summary beside where its files are.
/// </summary>
internal static class ReportCommand
{
    public static Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        var paths = ArtifactPaths.For(request);
        int skipped = HtmlReportExporter.WriteFromFiles(paths.Ledger, Path.Combine(PinnedMachineClasses.SetDirOf(paths.OutputDir, request.MachineClass), PinnedFiles.LockName), paths.Report);
        if (skipped > 0)
            sink.Warning(DiagnosticCode.LedgerLinesSkipped, $"{skipped} line(s) of {paths.Ledger} could not be read and are left out of the report. Nothing to do unless it repeats.");
        ct.ThrowIfCancellationRequested();
        if (File.Exists(paths.Summary))
            foreach (var line in File.ReadLines(paths.Summary)) sink.Info(line);
        sink.Info($"report: {paths.Report}");
        return Task.FromResult(0);
    }
}
