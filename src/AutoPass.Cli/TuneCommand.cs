using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>Runs a session and prints the summary a user reads in the build output.</summary>
public static class TuneCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        var session = new TuningSession(request, sink);
        var result = await session.RunAsync(ct);
        var lines = SessionSummary.Lines(request, result).ToList();
        foreach (var line in lines) sink.Info(line);
        // dotnet's terminal logger hides build messages in an interactive terminal; the summary stays on disk too.
        File.WriteAllLines(Path.Combine(request.IntermediateDir, "summary.txt"), lines);
        sink.Info($"summary: {Path.Combine(request.IntermediateDir, "summary.txt")}, report: {Path.Combine(request.IntermediateDir, "report.html")}");
        return 0;
    }
}
