using AutoPass.Core.Reporting;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>Runs a session and prints the summary a user reads in the build output.</summary>
internal static class TuneCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        if (request.Conclude) return await WorkAsync(request, sink, concludeNow: true, ct);
        if (request.Worker) return await WorkAsync(request, sink, concludeNow: false, ct);
        var session = new TuningSession(request, sink);
        var result = await session.RunAsync(ct);
        return Summarize(result, sink);
    }

    /// <summary>
    /// One worker of the store's campaign (--worker), or autopass conclude: the summary when this worker concluded; a worker
    /// that stopped because another concludes has nothing to summarize, and exits 0 all the same.
    /// </summary>
    public static async Task<int> WorkAsync(TuningRequest request, ConsoleDiagnosticSink sink, bool concludeNow, CancellationToken ct)
    {
        var result = await new WorkerSession(request, sink).RunAsync(concludeNow, ct);
        return result is null ? 0 : Summarize(result, sink);
    }

    private static int Summarize(AutoPass.Core.Pinning.SessionResult result, ConsoleDiagnosticSink sink)
    {
        foreach (var line in SessionSummary.Lines(result)) sink.Info(line);
        // dotnet's terminal logger hides build messages in an interactive terminal; the summary stays on disk too.
        var paths = result.Findings.Paths;
        sink.Info($"summary: {paths.Summary}, report: {paths.Report}");
        return 0;
    }
}
