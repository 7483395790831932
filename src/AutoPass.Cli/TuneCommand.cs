using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>Runs a session and prints the summary a user reads in the build output.</summary>
public static class TuneCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        var session = new TuningSession(request, sink);
        var result = await session.RunAsync(ct);
        foreach (var line in SessionSummary.Lines(request, result)) sink.Info(line);
        return 0;
    }
}
