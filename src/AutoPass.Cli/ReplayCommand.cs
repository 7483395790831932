using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>
/// autopass replay: re-run the last session's decisions from its ledger, or from its campaign in the trial store
/// (--store, --campaign), without a model server.
/// </summary>
internal static class ReplayCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        if (request.Store is { Length: > 0 } workersStore && await WorkersCampaignAsync(request, workersStore, ct) is { } workers)
            return Report(workers.Outcome, workers.Source, "the workers", sink);
        // Source: where the lines came from, as the closing line says it; Named: the same as an error's subject.
        var (lines, source, named) = request.Store is { Length: > 0 } store ? FromStore(request, store) : FromLedger(request);
        string compilerPath = Ledger.LastSession(lines).OfType<CompilerLine>().LastOrDefault()?.Path
            ?? throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"{named} does not say which compiler the session used.", "Run a tuning session with this version of AutoPass first.");
        var outcome = await DecisionReplay.RunAsync(request, await CatalogAsync(compilerPath, request, ct), lines, named, sink, ct);
        return Report(outcome, source, "the session", sink);
    }

    private static async Task<FlagCatalog> CatalogAsync(string compilerPath, TuningRequest request, CancellationToken ct) =>
        await CompilerProbe.CatalogAsync(await CompilerProbe.IdentifyAsync(compilerPath, ct), request.BaselineFlags, ct);

    /// <summary>A campaign workers wrote (their batches in the store), replayed batch by batch; null: a single session's campaign.</summary>
    private static async Task<(ReplayOutcome Outcome, string Source)?> WorkersCampaignAsync(TuningRequest request, string store, CancellationToken ct)
    {
        string campaign = TrialStore.CampaignOf(request);
        using var trials = TrialStore.Open(store, campaign, SessionJournal.RequestKey(request));
        if (!trials.Lines().Lines.OfType<SessionLine>().Any(s => s.Note == SessionJournal.WorkerNote)) return null;
        var catalogs = new Dictionary<string, FlagCatalog>(StringComparer.Ordinal);
        async Task<FlagCatalog> CatalogOf(string path) => catalogs.TryGetValue(path, out var known) ? known : catalogs[path] = await CatalogAsync(path, request, ct);
        var outcome = await CampaignReplay.RunAsync(request, CatalogOf, trials, ct);
        return (outcome, $"the workers' campaign '{campaign}' of the trial store {trials.Address}");
    }

    private static int Report(ReplayOutcome outcome, string source, string who, ConsoleDiagnosticSink sink)
    {
        sink.Info($"replayed {outcome.Decisions} decisions from {source}: {outcome.Matched} matched {who}");
        if (outcome.FirstDivergence is { } divergence)
        {
            sink.Warning(AutoPass.Core.Agents.AgentDiagnosticCodes.ReplayDiverged, $"The replay diverged from the recorded session at {divergence}. The compiler, the request or AutoPass changed since the session ran.");
            return 1;
        }
        return 0;
    }

    private static (IReadOnlyList<LedgerLine> Lines, string Source, string Named) FromLedger(TuningRequest request)
    {
        string ledger = Path.Combine(request.IntermediateDir, "ledger.jsonl");
        if (!File.Exists(ledger))
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"There is no ledger at {ledger}.", "Run a tuning session first (dotnet build -p:AutoPassTune=true, or autopass tune).");
        return (Ledger.Read(ledger).Lines, ledger, $"The ledger {ledger}");
    }

    private static (IReadOnlyList<LedgerLine> Lines, string Source, string Named) FromStore(TuningRequest request, string store)
    {
        string campaign = TrialStore.CampaignOf(request);
        using var trials = TrialStore.Open(store, campaign, SessionJournal.RequestKey(request));
        string source = $"campaign '{campaign}' of the trial store {trials.Address}";
        var lines = trials.Lines().Lines;
        if (lines.Count == 0)
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"There is no {source}.",
                "Give the campaign the session wrote (--campaign; its default is the request key, so the same settings as the session), or run a tuning session with --store first.");
        return (lines, source, "The " + source);
    }
}
