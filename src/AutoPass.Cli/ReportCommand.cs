using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>autopass report: the last session's summary, and where its report, ledger and pinned files are.</summary>
internal static class ReportCommand
{
    public static Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        var paths = ArtifactPaths.For(request);
        if (!File.Exists(paths.Summary))
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"There is no session summary at {paths.Summary}.",
                "Run a tuning session first (autopass tune, or dotnet build -p:AutoPassTune=true); give --source or --intermediate of that session.");
        ct.ThrowIfCancellationRequested();
        foreach (var line in File.ReadLines(paths.Summary)) sink.Info(line);
        sink.Info($"report: {paths.Report}");
        return Task.FromResult(0);
    }
}
