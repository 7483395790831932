using System.Diagnostics;
using AutoPass.Core.Agents;
using AutoPass.Core.Compilers.Remarks;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Racing;
using AutoPass.Core.Evidence;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>Every trial so far, the evaluator that ran them, and what the search spent.</summary>
internal sealed record SearchOutcome(List<TrialRecord> Trials, TrialEvaluator Evaluator, SearchBudget Budget, AgentCandidateSource? Agents, SearchCost Cost);

/// <summary>
/// Runs the search within the budget: the strategies (and the agent stages, with the program evidence they read)
/// propose, the evaluator builds, checks and measures, and every trial and agent step goes to the ledger.
/// </summary>
internal sealed class SearchStep(SessionSetup setup, PreparedBaseline baseline, CalibratedSession calibrated)
{
    /// <summary>The hot files (absolute), whose remarks are the ones candidates change; null: every source file.</summary>
    private IReadOnlyCollection<string>? HotSources() => baseline.HotFiles?.Files.Select(f => f.File).ToHashSet(StringComparer.Ordinal);

    public async Task<SearchOutcome> RunAsync(SessionLedger ledger, Stopwatch sessionClock, CancellationToken ct)
    {
        var (request, sink) = (setup.Request, setup.Sink);
        var evaluator = new TrialEvaluator(request, setup.Builder, baseline.Reference, baseline.Policy, baseline.Compiler, setup.Runner, calibrated.Statistics,
            baseline.HotFiles?.RelativePaths(request.SourceDir)) { CalibrationSpread = calibrated.PairSpread, BuildSlots = baseline.HotFiles?.BuildSlots ?? 1 };
        foreach (var t in calibrated.Trials) evaluator.Remember(t);
        if (request.RaceSize > 1)
        {
            var schedule = evaluator.Plan.Schedule;
            sink.Info(schedule.MaxPairs < RacePlan.Screening(calibrated.Statistics).MaxPairs
                ? $"races decide within {schedule.MaxPairs} pairs (looks at {schedule.FirstLook}, then every {schedule.LookEvery}): the calibration says this machine resolves {schedule.MinEffect * 100:0.#}% by then"
                : $"races decide within {schedule.MaxPairs} pairs (looks at {schedule.FirstLook}, then every {schedule.LookEvery}): this machine is too noisy to resolve {schedule.MinEffect * 100:0.#}% in fewer");
        }

        AgentCandidateSource? agents = null;
        if (request.Search == SearchMode.Bandit)
            agents = await AgentStages.CreateAsync(request, sink, ct);
        RemarkDigest? baselineRemarks = null;
        if (agents is not null)
        {
            var remarks = await ProgramEvidenceCollector.DigestAsync(baseline.Reference.Build.BuildDirectory, baseline.Compiler, request.BaselineFlags, sink, ct, HotSources());
            // A model reads what each candidate changed in the compiler's decisions; the built-in stages do not.
            if (agents.UsesModel) baselineRemarks = remarks;
            var evidence = await ProgramEvidenceCollector.CollectAsync(request, baseline.Reference, remarks, profile: agents.UsesModel, sink, ct);
            ledger.Append(new EvidenceLine(evidence.HotFunctions, evidence.RemarkDigest));
            agents.UseEvidence(evidence);
        }

        var trials = calibrated.Trials.ToList();
        double earlierBuildSeconds = trials.Where(t => t.Phase == TrialPhase.Screen).Sum(t => t.BuildSeconds ?? 0);
        var budget = new SearchBudget(request.MaxTrials, TimeSpan.FromMinutes(request.MaxMinutes), sessionClock);
        budget.CountAll(trials);
        // A resumed session goes on proposing by the rules it started with.
        int rules = baseline.Resumed?.SearchRules ?? SearchDriver.CurrentRules;
        var driver = new SearchDriver(SearchDriver.Sources(request.Search, agents, agents?.UsesModel == true, rules), baseline.Catalog, baseline.Policy, request.BaselineFlags, request.Seed,
            trials, budget);
        int races = 0;
        var searchClock = Stopwatch.StartNew();
        double setupSeconds = sessionClock.Elapsed.TotalSeconds;
        // The live status: where the search is, the budget used, the best so far; a few words, as a terminal line is narrow.
        string Status(string where) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{where}, {budget.Built}/{request.MaxTrials} measured, {searchClock.Elapsed.TotalMinutes:0.0}/{request.MaxMinutes:0.#} min, best {BestShort(trials)}");
        // AutoPassMaxMinutes bounds the session: a race stops between rounds when time is up; whatever still runs a
        // grace period later (a build, a hung candidate) is cut, and its batch is not recorded.
        using var searchTime = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var limit = TimeSpan.FromMinutes(request.MaxMinutes);
        var grace = TimeSpan.FromSeconds(Math.Clamp(limit.TotalSeconds / 10, 5, 60));
        if (limit + grace - sessionClock.Elapsed is var remaining && remaining < TimeSpan.FromDays(30))
            searchTime.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        // Seconds of one round with one arm: each benchmark's baseline run, as the calibration timed it.
        double armSeconds = calibrated.Trials[0].Benchmarks.Sum(b => b.BaselineSeconds.Count == 0 ? 0 : Statistics.RobustSpread.Median(b.BaselineSeconds));
        // Each trial back from its race goes to the ledger, with what it changed in the compiler's decisions when a model reads that.
        async Task<IReadOnlyList<TrialRecord>> DescribedAsync(IReadOnlyList<TrialRecord> records)
        {
            var described = new List<TrialRecord>();
            foreach (var raced in records)
            {
                var record = raced;
                if (baselineRemarks is not null && record is { BuildStatus: BuildStatus.Ok, Verdict: not null }
                    && await ProgramEvidenceCollector.DigestAsync(
                        // Hot-file candidates have no tree of their own: the baseline's compile commands, the hot files with the candidate's flags.
                        evaluator.HotFiles is null ? evaluator.BuildDirectoryFor(record.Flags) : baseline.Reference.Build.BuildDirectory,
                        baseline.Compiler, [.. request.BaselineFlags, .. record.Flags], sink, ct, HotSources()) is { } remarks)
                    record = record with { RemarkChanges = ProgramEvidenceCollector.DescribeChanges(baselineRemarks, remarks) };
                ledger.Append(record);
                described.Add(record);
            }
            return described;
        }
        // Each trial back to the search, and its progress line.
        void Record(IReadOnlyList<TrialRecord> records)
        {
            foreach (var record in records)
            {
                driver.Record([record]);
                sink.Progress(Status($"trial {record.Trial}"),
                    $"trial {record.Trial} [{budget.Built}/{request.MaxTrials} measured, {searchClock.Elapsed.TotalMinutes:0.0} of {request.MaxMinutes:0.#} min] " +
                    $"{string.Join(' ', record.Flags)}: {record.Describe()}; best so far: {BestSoFar(trials)}");
            }
        }
        // One batch's race: one at a time, a race of one without looks at the clock; else a screening race, whose last few
        // undecided may go on in the next race when the budget has trials and time for one.
        async Task<(IReadOnlyList<TrialRecord>, IReadOnlyList<CarriedEntrant<RaceEntry>>)> RunRaceAsync(ScreeningRace race, IReadOnlyList<int> batch)
        {
            int seed = request.Seed + batch[0] + 1;
            if (request.RaceSize == 1) return await race.RunAsync(RacePlan.ForOne(calibrated.Statistics), seed, () => false, searchTime.Token);
            races = race.Card.Race;
            var raced = race.Card.EntrantEntries.Select(e => string.Join(' ', e.Prepared.Record.Flags)).ToList();
            int carried = race.Card.Carried.Count;
            string carriedOn = carried > 0 && raced.Count > 0 ? $", and {carried} carried on from earlier races" : "";
            sink.Progress(Status($"race {races} of {raced.Count} candidates"),
                $"race {races}: {raced.Count} candidates against one baseline ({string.Join(", ", raced)}){carriedOn}; {batch.Count - raced.Count} more proposals settled without timing");
            return await race.RunAsync(evaluator.Plan, seed, () => budget.TimeUsedUp, searchTime.Token,
                carry: () => budget.TrialsLeft > raced.Count, raceSize: request.RaceSize, timeLeft: () => budget.TimeLeft);
        }
        try
        {
            // The search loop: a batch of candidates, each gated, built or reused and entered (a group at a time, built at
            // once in their own hot trees); one race; the trials to the ledger and back to the search. Entrants carried on
            // leave one race's card for the next one's.
            IReadOnlyList<CarriedEntrant<RaceEntry>> carried = [];
            while (driver.NextBatch(request.RaceSize) is { } batch)
            {
                var race = new ScreeningRace(evaluator, new RaceCard<RaceEntry>(races + 1, carried, armSeconds), numbered: request.RaceSize > 1);
                while (await batch.NextGroupAsync(evaluator.BuildSlots, searchTime.Token) is { Count: > 0 } group)
                    await race.EnterAllAsync(group, (trial, entry, closes) => batch.Took(trial, entry, closes), () => !race.Card.HasRoomForAnother(budget.TimeLeft), searchTime.Token);
                if (batch.Trials.Count == 0) break;
                // The agent steps that led to these candidates go to the ledger before their trials.
                if (agents is not null) ledger.AppendAll(agents.TakeNewExchanges());
                (var records, carried) = await RunRaceAsync(race, batch.Trials);
                Record(await DescribedAsync(records));
            }
            // Entrants carried on to a race that did not come (the search ended) are timed to their verdicts alone.
            if (carried.Count > 0)
            {
                var last = new ScreeningRace(evaluator, new RaceCard<RaceEntry>(++races, carried, armSeconds));
                sink.Progress(Status($"race {races}"), $"race {races}: {carried.Count} candidates carried on from earlier races, to their verdicts");
                Record(await DescribedAsync((await last.RunAsync(evaluator.Plan, request.Seed + races, () => budget.TimeUsedUp, searchTime.Token, timeLeft: () => budget.TimeLeft)).Records));
            }
        }
        catch (OperationCanceledException) when (searchTime.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            sink.Info("the trials under way were cut at the time budget; they are not recorded");
        }
        finally
        {
            if (agents is not null) ledger.AppendAll(agents.TakeNewExchanges());
        }
        if (driver.Dry) sink.Info("no untried candidates left");
        if (budget.TrialsUsedUp) sink.Info($"trial budget used ({request.MaxTrials}, AutoPassMaxTrials)");
        else if (budget.TimeUsedUp) sink.Info($"time budget used ({request.MaxMinutes} min, AutoPassMaxMinutes)");
        var cost = SearchCost.Of(trials, races, searchClock.Elapsed.TotalSeconds, evaluator.ScreenBuildWallSeconds, earlierBuildSeconds);
        if (budget.TimeUsedUp && cost.MeasuredCandidates == 0)
        {
            static string Number(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
            sink.Warning(DiagnosticCode.BudgetSpentBeforeSearch,
                $"The time budget ({Number(request.MaxMinutes)} min) ran out before any candidate was timed: building, profiling and calibrating the baseline took " +
                $"{Number(setupSeconds / 60)} min (one run of every benchmark takes {Number(armSeconds)} s), so nothing was compared with it. " +
                "Raise AutoPassMaxMinutes (the default is 30), or give long benchmarks smaller inputs through their Arguments.");
        }
        return new SearchOutcome(trials, evaluator, budget, agents, cost);
    }

    /// <summary>The best so far in a few words: "1.046x -funroll-loops", or "none yet".</summary>
    private static string BestShort(IEnumerable<TrialRecord> trials) =>
        Best(trials) is { } best
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{best.Verdict!.Speedup:0.000}x {string.Join(' ', best.Flags)}")
            : "none yet";

    private static TrialRecord? Best(IEnumerable<TrialRecord> trials) =>
        trials.Where(t => t.Phase == TrialPhase.Screen && t.Verdict is { Decision: Statistics.SpeedupDecision.Faster }).MaxBy(t => t.Verdict!.Speedup);

    /// <summary>The screened candidate shown faster with the highest estimate, as the progress line names it.</summary>
    internal static string BestSoFar(IEnumerable<TrialRecord> trials) =>
        Best(trials) is { } best
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{best.Verdict!.Speedup:0.000}x [{best.Verdict.Low:0.000}, {best.Verdict.High:0.000}] {string.Join(' ', best.Flags)} (trial {best.Trial})")
            : "none shown faster yet";
}
