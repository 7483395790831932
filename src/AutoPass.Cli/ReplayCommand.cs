using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>autopass replay: re-run the last session's decisions from its ledger, without a model server.</summary>
internal static class ReplayCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        string ledger = Path.Combine(request.IntermediateDir, "ledger.jsonl");
        if (!File.Exists(ledger))
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"There is no ledger at {ledger}.", "Run a tuning session first (dotnet build -p:AutoPassTune=true, or autopass tune).");
        string compilerPath = Ledger.LastSession(ledger).OfType<CompilerLine>().LastOrDefault()?.Path
            ?? throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"The ledger {ledger} does not say which compiler the session used.", "Run a tuning session with this version of AutoPass first.");
        var compiler = await CompilerProbe.IdentifyAsync(compilerPath, ct);
        var catalog = await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, ct);
        var outcome = await DecisionReplay.RunAsync(request, catalog, ledger, sink, ct);
        sink.Info($"replayed {outcome.Decisions} decisions from {ledger}: {outcome.Matched} matched the session");
        if (outcome.FirstDivergence is { } divergence)
        {
            sink.Warning(AutoPass.Core.Agents.AgentDiagnosticCodes.ReplayDiverged, $"The replay diverged from the recorded session at {divergence}. The compiler, the request or AutoPass changed since the session ran.");
            return 1;
        }
        return 0;
    }
}
