using AutoPass.Core.Agents;
using AutoPass.Core.Agents.Replay;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>How a replay went: how many of the recorded decisions the search made again, and the first it did not.</summary>
internal sealed record ReplayOutcome(int Decisions, int Matched, string? FirstDivergence);

/// <summary>
/// Re-runs a session's decisions from its ledger without building, measuring or a model server: the search runs
/// through the session's own <see cref="SearchDriver"/>, the recorded trial outcomes are fed back in order, recorded
/// model replies are served by a replay client, and each candidate proposed is compared with the one recorded.
/// </summary>
internal static class DecisionReplay
{
    public static Task<ReplayOutcome> RunAsync(TuningRequest request, FlagCatalog catalog, string ledgerPath, IDiagnosticSink sink, CancellationToken ct) =>
        RunAsync(request, catalog, Ledger.Read(ledgerPath).Lines, $"The ledger {ledgerPath}", sink, ct);

    /// <summary>Replays the last session of <paramref name="lines"/> (a ledger's, or a campaign's in the trial store), which <paramref name="source"/> names.</summary>
    public static async Task<ReplayOutcome> RunAsync(TuningRequest request, FlagCatalog catalog, IReadOnlyList<LedgerLine> lines, string source, IDiagnosticSink sink, CancellationToken ct)
    {
        var session = Ledger.LastSession(lines);
        var recorded = session.OfType<TrialRecord>().ToList();
        if (recorded.Count == 0 || recorded[0].Phase != TrialPhase.Calibration)
            throw new AutoPassException(DiagnosticCode.RequestUnreadable, $"{source} has no session to replay.", "Run a tuning session first; replay reads its obj/autopass/ledger.jsonl, or its campaign in the trial store (--store, --campaign).");

        // The provider and model that answered in the session (Ollama or an OpenAI-compatible server), served from the ledger.
        var usedModel = session.OfType<AgentExchange>().FirstOrDefault(e => e.FromModel);
        var agents = usedModel is not null
            ? AgentStages.Create(request, sink, AgentReplay.FromLines(lines, sink), implementation: usedModel.Implementation, model: usedModel.Model)
            : await AgentStages.CreateAsync(request with { Agents = AgentMode.Builtin }, sink, ct);
        // The agent stages read the program evidence the session collected; give them the same.
        if (session.OfType<EvidenceLine>().LastOrDefault() is { } evidence)
            agents.UseEvidence(new ProgramEvidence(evidence.HotFunctions, evidence.RemarkDigest));
        // A hot-file session searched a catalog without link-time optimization (BaselineStep).
        if (session.OfType<HotFilesLine>().Any()) catalog = catalog.WithoutLinkTimeOptimization();
        var sources = SearchDriver.Sources(request.Search, request.Search == SearchMode.Bandit ? agents : null, usedModel is not null);
        var policy = new FlagPolicy(new PolicyOptions(request.AllowUnsafeMath, request.AllowMachineSpecific), catalog);

        // In the order they were proposed: an entrant carried over to a later race was written to the ledger when it left.
        var screened = new Queue<TrialRecord>(recorded.Skip(1).Where(t => t.Phase == TrialPhase.Screen).OrderBy(t => t.Trial));
        // Carried entrants' trials, held back until the race the session got them back from (the session numbers its races as the driver runs them).
        var carried = new List<TrialRecord>();
        int races = 0;
        int decisions = 0, matched = 0;
        string? divergence = null;
        // The recorded trials are the budget: the session stopped where they stop.
        var budget = new SearchBudget(request.MaxTrials);
        var fed = new List<TrialRecord>();
        await new SearchDriver(sources, catalog, policy, request.BaselineFlags, request.Seed).RunAsync([recorded[0]], budget, request.RaceSize,
            (_, candidate) =>
            {
                if (!screened.TryDequeue(out var trial)) return Task.FromResult(new SearchEntry(Raced: false, Counts: false));
                decisions++;
                if (candidate.Key == Key(trial)) matched++;
                else divergence ??= $"trial {trial.Trial}: the session tried '{Key(trial)}', the replay proposed '{candidate.Key}'";
                // The search goes on from what the session saw, so one divergence does not hide the rest.
                fed.Add(trial);
                return Task.FromResult(new SearchEntry(Raced: trial.Race is not null, Counts: trial.CountsAgainstBudget()));
            },
            () =>
            {
                var race = fed.ToList();
                fed.Clear();
                if (race.Count == 0) return Task.FromResult<IReadOnlyList<TrialRecord>?>(null);
                int number = ++races;
                var back = carried.Where(t => t.LeftRace == number).Concat(race.Where(t => t.LeftRace is null)).ToList();
                carried.RemoveAll(t => t.LeftRace == number);
                carried.AddRange(race.Where(t => t.LeftRace is not null));
                return Task.FromResult<IReadOnlyList<TrialRecord>?>(back);
            },
            _ => { }, ct,
            // A race the session started short (its builds took half the time left) ends where the ledger's next race begins.
            raceClosed: () => fed.LastOrDefault(t => t.Race is not null)?.Race is { } current && screened.TryPeek(out var next) && next.Race is { } following && following != current);
        // Recorded trials the replay had nothing left to propose for.
        if (screened.TryPeek(out var unmatched)) divergence ??= $"trial {unmatched.Trial}: the session tried '{Key(unmatched)}', the replay proposed '(nothing)'";
        decisions += screened.Count;
        return new ReplayOutcome(decisions, matched, divergence);
    }

    private static string Key(TrialRecord trial) => string.Join(' ', trial.Flags);
}
