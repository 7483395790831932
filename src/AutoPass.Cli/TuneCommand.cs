using AutoPass.Core.Reporting;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>Runs a session and prints the summary a user reads in the build output.</summary>
internal static class TuneCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        var session = new TuningSession(request, sink);
        var result = await session.RunAsync(ct);
        foreach (var line in SessionSummary.Lines(result)) sink.Info(line);
        // dotnet's terminal logger hides build messages in an interactive terminal; the summary stays on disk too.
        var paths = result.Findings.Paths;
        sink.Info($"summary: {paths.Summary}, report: {paths.Report}");
        return 0;
    }
}
