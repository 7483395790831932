using AutoPass.Core.Agents;
using AutoPass.Core.Agents.Replay;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>How a replay went: how many of the recorded decisions the search made again (the same candidate, trial number and race), and the first it did not.</summary>
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
        // It proposed its candidates in groups, one per build slot, before any of the group was entered.
        int slots = session.OfType<HotFilesLine>().LastOrDefault()?.BuildSlots ?? 1;
        // And it proposed by the rules its header names (older ledgers name none: the first rules).
        int rules = session.OfType<SessionLine>().FirstOrDefault()?.SearchRules ?? 1;
        var sources = SearchDriver.Sources(request.Search, request.Search == SearchMode.Bandit ? agents : null, usedModel is not null, rules);
        var policy = new FlagPolicy(new PolicyOptions(request.AllowUnsafeMath, request.AllowMachineSpecific), catalog);

        // In the order they were proposed: an entrant carried over to a later race was written to the ledger when it left.
        var screened = new Queue<TrialRecord>(recorded.Skip(1).Where(t => t.Phase == TrialPhase.Screen).OrderBy(t => t.Trial));
        // Carried entrants' trials, held back until the race the session got them back from (the session numbers its races as it runs them).
        var carried = new List<TrialRecord>();
        int races = 0;
        int decisions = 0, matched = 0;
        string? divergence = null;
        // The recorded trials are the budget: the session stopped where they stop.
        var driver = new SearchDriver(sources, catalog, policy, request.BaselineFlags, request.Seed, [recorded[0]], new SearchBudget(request.MaxTrials));
        while (screened.Count > 0 && driver.NextBatch(request.RaceSize) is { } batch)
        {
            var race = new List<TrialRecord>();
            while (screened.Count > 0 && await batch.NextGroupAsync(slots, ct) is { Count: > 0 } group)
            {
                // A group's proposals past the last recorded trial were never recorded: the session stopped there.
                foreach (var proposed in group.Take(screened.Count))
                {
                    var candidate = proposed.Candidate;
                    var trial = screened.Dequeue();
                    decisions++;
                    // The same candidate, under the same trial number, in the same race: the same batches as the session's.
                    if (candidate.Key != Key(trial))
                        divergence ??= $"trial {trial.Trial}: the session tried '{Key(trial)}', the replay proposed '{candidate.Key}'";
                    else if (proposed.Trial != trial.Trial)
                        divergence ??= $"trial {trial.Trial}: the replay proposed '{candidate.Key}' as trial {proposed.Trial}";
                    else if (trial.Race is { } sessionRace && sessionRace != races + 1)
                        divergence ??= $"trial {trial.Trial}: the session raced '{candidate.Key}' in race {sessionRace}, the replay in race {races + 1}";
                    else matched++;
                    // The search goes on from what the session saw, so one divergence does not hide the rest.
                    race.Add(trial);
                    // A race the session closed early (its builds took half the time left, or no room for another) ends where the ledger's next race begins.
                    bool closes = race.LastOrDefault(t => t.Race is not null)?.Race is { } current && screened.TryPeek(out var next) && next.Race is { } following && following != current;
                    batch.Took(proposed.Trial, new SearchEntry(Raced: trial.Race is not null, Counts: trial.CountsAgainstBudget()), closes);
                }
            }
            if (race.Count == 0) break;
            int number = ++races;
            var back = carried.Where(t => t.LeftRace == number).Concat(race.Where(t => t.LeftRace is null)).ToList();
            carried.RemoveAll(t => t.LeftRace == number);
            carried.AddRange(race.Where(t => t.LeftRace is not null));
            driver.Record(back);
        }
        // Recorded trials the replay had nothing left to propose for.
        if (screened.TryPeek(out var unmatched)) divergence ??= $"trial {unmatched.Trial}: the session tried '{Key(unmatched)}', the replay proposed '(nothing)'";
        decisions += screened.Count;
        return new ReplayOutcome(decisions, matched, divergence);
    }

    private static string Key(TrialRecord trial) => string.Join(' ', trial.Flags);
}
