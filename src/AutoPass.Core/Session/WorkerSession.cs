using System.Diagnostics;
using System.Globalization;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Pinning;
using AutoPass.Core.Racing;
using AutoPass.Core.Reporting;
using AutoPass.Core.Search;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>How long a worker's claims hold without a heartbeat, how often it beats, and how often it looks for work while others race.</summary>
internal sealed record WorkerTimings(TimeSpan Lease, TimeSpan Beat, TimeSpan Poll)
{
    public static readonly WorkerTimings Default = new(TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));

    /// <summary>The defaults, or the lease and beat in AUTOPASS_WORKER_LEASE_SECONDS and AUTOPASS_WORKER_BEAT_SECONDS (tests of lost workers wait less).</summary>
    public static WorkerTimings FromEnvironment()
    {
        static TimeSpan? Seconds(string name) =>
            double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 ? TimeSpan.FromSeconds(s) : null;
        var lease = Seconds("AUTOPASS_WORKER_LEASE_SECONDS") ?? Default.Lease;
        var beat = Seconds("AUTOPASS_WORKER_BEAT_SECONDS") ?? TimeSpan.FromTicks(Math.Min(Default.Beat.Ticks, lease.Ticks / 3));
        return new WorkerTimings(lease, beat, TimeSpan.FromTicks(Math.Min(Default.Poll.Ticks, beat.Ticks)));
    }
}

/// <summary>
/// One worker of a campaign in the trial store (AutoPassWorker): it builds its own baseline and calibrates its own
/// noise, then claims batches of candidates from the store (or, when none is open, proposes the next batch from the
/// search over its machine class's shared history) and races each against its own baseline, recording the trials
/// back with the batch. The worker that finds the campaign's budget spent takes its class's conclusion, confirms the
/// winner afresh on its machine (<see cref="WinnerConfirmation"/>) and pins, as a single-machine session does; the others stop.
/// <c>autopass conclude</c> is the same worker taking the conclusion at once.
/// </summary>
internal sealed class WorkerSession(TuningRequest request, IDiagnosticSink sink, WorkerTimings? timings = null)
{
    private readonly IDiagnosticSink sink = request.NoNoiseWarnings ? new NoiseWarningFilter(sink) : sink;
    private readonly WorkerTimings _timings = timings ?? WorkerTimings.FromEnvironment();

    private static readonly ISessionExporter[] Reports = [new HtmlReportExporter(), new SummaryExporter(), new MarkdownSummaryExporter()];

    /// <summary>Works until the class's budget is spent; returns what was pinned when this worker concluded, else null.</summary>
    /// <param name="concludeNow">autopass conclude: take the conclusion at once (again, if it was taken and finished), race nothing.</param>
    public async Task<SessionResult?> RunAsync(bool concludeNow, CancellationToken ct)
    {
        if (request.Store is not { Length: > 0 } address)
            throw new AutoPassException(DiagnosticCode.WorkerWithoutStore,
                $"{(concludeNow ? "autopass conclude (AutoPassConclude)" : "AutoPassWorker (--worker)")} needs the trial store the campaign's workers share, and AutoPassStore (--store) is not set.",
                "Give every worker the same AutoPassStore and AutoPassCampaign (--store, --campaign), or leave AutoPassWorker unset to tune on this machine alone.");
        var setup = SessionSetup.Validate(request, sink);
        using var sessionLock = SessionLock.Acquire(setup.Paths.IntermediateDir, request.SourceDir, setup.Paths.OutputDir);
        // Opened first: an unreachable store stops the worker before anything is built.
        var store = TrialStore.Open(address, TrialStore.CampaignOf(request), SessionJournal.RequestKey(request), request.StoreRetryWindow);
        CampaignClaims claims;
        PreparedBaseline baseline;
        using var ledger = new SessionLedger(setup.Paths, request, sink, worker: true);
        try
        {
            baseline = await new BaselineStep(setup).RunAsync(ledger, ct);
            claims = CampaignClaims.Join(store, MachineClass.Current(baseline.Compiler), _timings.Lease);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        using (claims)
        {
            sink.Info($"worker {claims.Worker} of campaign '{claims.Campaign}' ({claims.Address}), machine class {claims.ClassKey} ({claims.Machine.Description})");
            var calibrated = await new CalibrationStep(setup).RunAsync(baseline, ledger, ct);
            claims.Share(Ledger.LastSession(setup.Paths.Ledger));
            var evaluator = new TrialEvaluator(request, setup.Builder, baseline.Reference, baseline.Policy, baseline.Compiler, setup.Runner, calibrated.Statistics,
                baseline.HotFiles?.RelativePaths(request.SourceDir)) { CalibrationSpread = calibrated.PairSpread, BuildSlots = baseline.HotFiles?.BuildSlots ?? 1 };
            var work = new Work(request, sink, setup, baseline, calibrated, evaluator, claims, ledger, _timings);
            using var beats = work.StartBeating();
            return await work.RunAsync(concludeNow, ct);
        }
    }

    /// <summary>The worker's loop and conclusion, with everything they share.</summary>
    private sealed class Work(
        TuningRequest request, IDiagnosticSink sink, SessionSetup setup, PreparedBaseline baseline, CalibratedSession calibrated,
        TrialEvaluator evaluator, CampaignClaims claims, SessionLedger ledger, WorkerTimings timings)
    {
        private long _heldBatch = -1;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly HashSet<int> _recordedHere = [];

        private TrialRecord Calibration => calibrated.Trials[0];

        /// <summary>The heartbeat: renews the worker's row and the lease of the batch or conclusion it holds, until disposed.</summary>
        public IDisposable StartBeating()
        {
            var stop = new CancellationTokenSource();
            var loop = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    claims.Beat(Interlocked.Read(ref _heldBatch) is var held and >= 0 ? held : null);
                    try { await Task.Delay(timings.Beat, stop.Token); }
                    catch (OperationCanceledException) { break; }
                }
            });
            return new Beats(stop, loop);
        }

        private sealed class Beats(CancellationTokenSource stop, Task loop) : IDisposable
        {
            public void Dispose()
            {
                stop.Cancel();
                loop.Wait();
                stop.Dispose();
            }
        }

        public async Task<SessionResult?> RunAsync(bool concludeNow, CancellationToken ct)
        {
            if (concludeNow) return await ConcludeAsync(onDemand: true, ct);
            bool waitingSaid = false;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var history = claims.History();
                if (history.Conclusion is { } held && held.Worker != claims.Worker && (held.Finished || held.Live))
                {
                    sink.Info($"worker {claims.Worker}: the conclusion of class {claims.ClassKey} is {(held.Finished ? "done" : "taken")} by worker {held.Worker}; this worker stops");
                    return null;
                }
                foreach (var trial in history.Trials) evaluator.Remember(trial);
                var budget = Budget(history);
                var batch = claims.ClaimOpen();
                if (batch is null && budget.AllowsAnother && await ProposeAsync(history, budget, ct) is { Count: > 0 } proposals)
                {
                    batch = claims.ProposeAndClaim(proposals, history);
                    // Another worker proposed the same candidates first: look again, with its batch in the history.
                    if (batch is null) continue;
                }
                if (batch is null)
                {
                    if (history.InFlight > 0)
                    {
                        // Batches other workers still race count against the budget: their trials may hold the winner.
                        if (!waitingSaid) sink.Info($"worker {claims.Worker}: nothing left to propose; waiting for {history.InFlight} candidate(s) other workers are racing");
                        waitingSaid = true;
                        await Task.Delay(timings.Poll, ct);
                        continue;
                    }
                    sink.Info(budget.TrialsUsedUp ? $"the campaign's trial budget is used ({request.MaxTrials} of class {claims.ClassKey}, AutoPassMaxTrials)"
                        : budget.TimeUsedUp ? $"the campaign's time budget is used ({request.MaxMinutes} min since its first worker of this class joined, AutoPassMaxMinutes)"
                        : "no untried candidates left");
                    return await ConcludeAsync(onDemand: false, ct);
                }
                waitingSaid = false;
                await RaceAsync(batch, budget, ct);
            }
        }

        /// <summary>The campaign's budget for this class: its trials over all workers (those still being raced held back), its time since its first worker joined.</summary>
        private SearchBudget Budget(ClassHistory history)
        {
            var read = Stopwatch.StartNew();
            var budget = new SearchBudget(request.MaxTrials - history.InFlight, TimeSpan.FromMinutes(request.MaxMinutes), () => history.SinceStart + read.Elapsed);
            budget.CountAll(history.Trials);
            return budget;
        }

        /// <summary>The next batch the search proposes over the class's history, deterministic given the seed and that history.</summary>
        private Task<IReadOnlyList<Candidate>> ProposeAsync(ClassHistory history, SearchBudget budget, CancellationToken ct) =>
            WorkerProposals.NextAsync(request, baseline.Catalog, baseline.Policy, Calibration, history.Trials, history.Proposed, budget, ct);

        /// <summary>Builds and races the batch against this worker's baseline, then records its trials with it (unless another worker recorded it first).</summary>
        private async Task RaceAsync(ClaimedBatch batch, SearchBudget budget, CancellationToken ct)
        {
            Interlocked.Exchange(ref _heldBatch, batch.Id);
            try
            {
                sink.Progress($"batch {batch.Id}", $"worker {claims.Worker}: batch {batch.Id}: {batch.Candidates.Count} candidates ({string.Join(", ", batch.Candidates.Select(c => c.Candidate.Key))})");
                double armSeconds = Calibration.Benchmarks.Sum(b => b.BaselineSeconds.Count == 0 ? 0 : Statistics.RobustSpread.Median(b.BaselineSeconds));
                var race = new ScreeningRace(evaluator, new RaceCard<RaceEntry>((int)Math.Min(batch.Id, int.MaxValue), [], armSeconds), numbered: request.RaceSize > 1);
                // A group at a time, built at once in their own hot trees, as a session's search enters them.
                foreach (var group in batch.Candidates.Chunk(evaluator.BuildSlots))
                    await race.EnterAllAsync(group, (_, _, _) => { }, () => false, ct);
                int seed = request.Seed + batch.Candidates[0].Trial + 1;
                var (records, _) = request.RaceSize == 1
                    ? await race.RunAsync(RacePlan.ForOne(calibrated.Statistics), seed, () => false, ct)
                    : await race.RunAsync(evaluator.Plan, seed, () => budget.TimeUsedUp, ct, timeLeft: () => budget.TimeLeft);
                var stamped = records.Select(r => r with { At = DateTimeOffset.UtcNow }).ToList();
                if (!claims.Complete(batch, stamped))
                {
                    sink.Info($"worker {claims.Worker}: batch {batch.Id} was recorded by another worker (this worker's lease had run out); its trials here are not recorded");
                    return;
                }
                foreach (var record in stamped)
                {
                    ledger.Append(record);
                    _recordedHere.Add(record.Trial);
                    sink.Progress($"trial {record.Trial}", $"trial {record.Trial} [worker {claims.Worker}, batch {batch.Id}] {string.Join(' ', record.Flags)}: {record.Describe()}");
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped (Ctrl+C): the batch goes back to the pool at once rather than when its lease runs out.
                claims.Release(batch);
                throw;
            }
            finally
            {
                Interlocked.Exchange(ref _heldBatch, -1);
            }
        }

        /// <summary>
        /// Takes the class's conclusion, confirms the winner of its history afresh on this machine and pins, as a single-machine
        /// session does; null when another worker holds it (a worker stops then; autopass conclude fails with AP2063).
        /// </summary>
        private async Task<SessionResult?> ConcludeAsync(bool onDemand, CancellationToken ct)
        {
            // Checked before taking the conclusion, which would hold off the class's workers for a lease.
            if (onDemand && claims.History().Trials.Count == 0)
                throw new AutoPassException(DiagnosticCode.NothingToConclude,
                    $"Campaign '{claims.Campaign}' has no trial of machine class {claims.ClassKey} to conclude from.",
                    "Run workers of this class first (autopass tune --worker with the same --store and --campaign), or conclude on a machine of the class they ran on.");
            if (claims.TakeConclusion(onDemand) is { } holder)
            {
                if (onDemand)
                    throw new AutoPassException(DiagnosticCode.ConclusionHeld,
                        $"Worker {holder.Worker} is concluding class {claims.ClassKey} of campaign '{claims.Campaign}' now (its lease still runs).",
                        "Wait for it to pin, or run autopass conclude again once its lease has run out if it was stopped.");
                sink.Info($"worker {claims.Worker}: the conclusion of class {claims.ClassKey} is taken by worker {holder.Worker}; this worker stops");
                return null;
            }
            var history = claims.History();
            // The report reads the local ledger: the class's trials other workers raced go into it too.
            foreach (var trial in history.Trials.Where(t => !_recordedHere.Contains(t.Trial))) ledger.Append(trial);
            var trials = new List<TrialRecord> { Calibration };
            trials.AddRange(history.Trials);
            var budget = Budget(history);
            sink.Info($"worker {claims.Worker} concludes class {claims.ClassKey}: {budget.Built} trials counted of {history.Trials.Count} screened by the campaign's workers");
            var conclusion = await new WinnerConfirmation(evaluator, sink, request.Seed, calibrated.Statistics, () => budget.TimeLeft)
                .ConcludeAsync(trials, trials.Max(t => t.Trial) + 1, ct);
            ledger.AppendAll(conclusion.Trials);
            trials.AddRange(conclusion.Trials);
            int races = history.Trials.Select(t => t.Race).Where(r => r is not null).Distinct().Count();
            var cost = SearchCost.Of(trials, races, history.SinceStart.TotalSeconds);
            var findings = new SessionFindings(request, setup.Paths, baseline.Compiler, calibrated.Statistics.MinEffect, trials, conclusion,
                budget.Built, history.Trials.Count(t => t.ReusedFrom is not null), "builtin", cost, calibrated.NoiseFindings,
                baseline.HotFiles?.SourceFiles(request.SourceDir));
            var result = new SessionResult(findings, LockFileBuilder.Build(findings));
            // A Ctrl+C that arrived while finishing up still means: pin nothing.
            ct.ThrowIfCancellationRequested();
            // The set is pinned for the class: the one AutoPassMachineClass names, else the key of the class the workers pooled.
            string pinnedClass = request.MachineClass is { Length: > 0 } named ? named : PinnedMachineClasses.NameFrom(claims.ClassKey);
            new PinnedFilesExporter(new LockMachineClass(pinnedClass, claims.Machine.Description)).Export(result);
            var pinned = result.Lock;
            var pinnedLine = new PinnedLine(pinned.Outcome, pinned.Flags, result.Confirmation?.Verdict is { } v && pinned.Outcome == "improved" ? v : null, pinned.Reason)
                { At = DateTimeOffset.UtcNow };
            ledger.Append(pinnedLine);
            claims.FinishConclusion([.. conclusion.Trials, pinnedLine]);
            foreach (var report in Reports) report.Export(result);
            sink.Info($"worker {claims.Worker}: concluded class {claims.ClassKey} of campaign '{claims.Campaign}' after {_clock.Elapsed.TotalMinutes:0.0} min");
            return result;
        }
    }
}
