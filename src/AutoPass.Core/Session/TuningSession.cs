using System.Diagnostics;
using AutoPass.Core.Agents;
using AutoPass.Core.Build;
using AutoPass.Core.Compilers.Remarks;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Measurement;
using AutoPass.Core.Pinning;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// One tuning session: validate, build and check the baseline, calibrate, search within the budget,
/// confirm the winner in a fresh measurement, and pin. Nothing is pinned unless the session finishes.
/// </summary>
public sealed class TuningSession(TuningRequest request, IDiagnosticSink sink)
{
    private readonly IDiagnosticSink sink = request.NoNoiseWarnings ? new NoiseWarningFilter(sink) : sink;

    public async Task<SessionResult> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        RequestValidation.Validate(request);
        PinnedFiles.EnsureWritable(request.OutputDir);
        Directory.CreateDirectory(request.IntermediateDir);

        var statistics = new StatisticsOptions(MinEffect: request.MinEffect, Confidence: request.Confidence, Seed: request.Seed);
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir, request.Generator, request.CCompiler, request.CxxCompiler));
        InstructionCounter? counter = null;
        if (request.Objective == MeasurementObjective.Instructions)
        {
            counter = InstructionCounter.Find();
            // Counts repeat almost exactly: a few pairs decide.
            statistics = statistics with { FirstLook = 3, LookEvery = 1, MaxPairs = 6 };
            sink.Warning(DiagnosticCode.ProxyObjective,
                $"The objective is {InstructionCounter.ProxyLabel}: it misses cache, branch-prediction and layout effects, so a gain in instructions may not be a gain in time. Confirm with AutoPassObjective=time before relying on it.");
        }
        var runner = new ProgramRunner(request.PinToCore, counter);

        string ledgerPath = Path.Combine(request.IntermediateDir, "ledger.jsonl");
        string requestKey = SessionJournal.RequestKey(request);
        var interrupted = SessionJournal.InterruptedTrials(ledgerPath, requestKey);
        using var ledger = new Ledger(ledgerPath);
        if (interrupted is null) AppendSessionHeader(ledger, requestKey, note: null);

        sink.Info($"building the baseline ({string.Join(' ', request.BaselineFlags)})");
        var baselineSetup = new BaselineSetup(request, builder, runner, sink);
        var baseline = await baselineSetup.PrepareAsync(ct);
        var compiler = await CompilerProbe.IdentifyAsync(baseline.Build.CCompilerPath!, ct);
        var catalog = await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, ct);
        var policy = new FlagPolicy(new PolicyOptions(request.AllowUnsafeMath, request.AllowMachineSpecific), catalog);
        sink.Info($"compiler {compiler.Id} {compiler.Version} ({compiler.Path}), {catalog.Flags.Count} tunable options");
        ledger.Append("compiler", new { compiler.Id, version = compiler.Version.ToNormalizedString(), compiler.Path, compiler.VersionText, options = catalog.Flags.Count });

        var trials = new List<TrialRecord>();
        NoiseReview review;
        if (interrupted is not null && interrupted[0].BinaryHash == baseline.Fingerprint)
        {
            // Same request, same baseline binaries: continue the interrupted session instead of starting over.
            trials.AddRange(interrupted.Where(t => t.Phase != TrialPhase.Confirm));
            sink.Info($"resuming the interrupted session from its ledger: {trials.Count - 1} finished trials kept");
            // The calibration decides the smallest effect the machine resolves; recomputed from it, it is the same.
            review = CalibrationReview.Review(trials[0].Benchmarks, statistics, new MachinePressure(null, null, null));
        }
        else
        {
            if (interrupted is not null) AppendSessionHeader(ledger, requestKey, note: "baseline binaries changed; not resuming");
            var pressureBefore = CpuTimes.Read();
            var calibration = await baselineSetup.CalibrateAsync(baseline, statistics, ct);
            ledger.Append("trial", calibration);
            trials.Add(calibration);
            review = CalibrationReview.Review(calibration.Benchmarks, statistics, MachinePressure.Read(pressureBefore));
            foreach (var warning in review.Warnings) sink.Warning(warning.Code, $"{warning.Message} (AutoPassNoNoiseWarnings=true silences this)");
            ledger.Append("noise", new { minEffect = review.Statistics.MinEffect, profiles = review.Profiles.Select(p => new { benchmark = p.Benchmark, profile = p.Profile }) });
        }
        statistics = review.Statistics;
        if (statistics.MinEffect > request.MinEffect)
            sink.Info($"claims need at least {statistics.MinEffect * 100:0.#}% here (asked: {request.MinEffect * 100:0.#}%): the calibration found copies of the baseline different");

        var evaluator = new TrialEvaluator(request, builder, baseline, policy, compiler, runner, statistics);
        foreach (var t in trials) evaluator.Remember(t);

        AgentCandidateSource? agents = null;
        if (request.Search == SearchMode.Bandit)
            agents = await AgentStages.CreateAsync(request, sink, ledger, ct);
        RemarkDigest? baselineRemarks = null;
        if (agents is not null)
        {
            var remarks = await ProgramEvidenceCollector.DigestAsync(baseline.Build.BuildDirectory, compiler, request.BaselineFlags, sink, ct);
            // A model reads what each candidate changed in the compiler's decisions; the built-in stages do not.
            if (agents.UsesModel) baselineRemarks = remarks;
            var evidence = await ProgramEvidenceCollector.CollectAsync(request, baseline, remarks, profile: agents.UsesModel, sink, ct);
            ledger.Append("evidence", new { hotFunctions = evidence.HotFunctions, remarkDigest = evidence.RemarkDigest });
            agents.UseEvidence(evidence);
        }
        var candidateSources = Sources(request.Search, agents);
        // The budget counts builds that were measured or failed; a build identical to one measured before costs
        // seconds, not a measurement, so it does not count (but candidates overall are capped).
        int built = trials.Count(t => t.Phase == TrialPhase.Screen && t.CountsAgainstBudget());
        int proposed = trials.Count(t => t.Phase == TrialPhase.Screen);
        int trialNumber = trials.Max(t => t.Trial) + 1;
        var deadline = TimeSpan.FromMinutes(request.MaxMinutes);
        // The deadline bounds the trial under way too; a trial it cuts is no result (unlike Ctrl+C, the session goes on to conclude).
        using var searchTime = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (deadline - clock.Elapsed is var remaining && remaining < TimeSpan.FromDays(30)) searchTime.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        while (built < request.MaxTrials && proposed < 3 * request.MaxTrials && clock.Elapsed < deadline)
        {
            var state = new SearchState(catalog, policy, request.BaselineFlags, trials, request.MaxTrials - built, request.Seed);
            Candidate? candidate;
            TrialRecord record;
            try
            {
                candidate = await NextCandidateAsync(candidateSources, state, searchTime.Token);
                if (candidate is null) { sink.Info("no untried candidates left"); break; }
                record = await evaluator.EvaluateAsync(trialNumber++, candidate, TrialPhase.Screen, request.Seed + trialNumber, searchTime.Token);
            }
            catch (OperationCanceledException) when (searchTime.IsCancellationRequested && !ct.IsCancellationRequested) { sink.Info("the trial under way was cut at the time budget; it is not recorded"); break; }
            if (baselineRemarks is not null && record is { BuildStatus: BuildStatus.Ok, Verdict: not null }
                && await ProgramEvidenceCollector.DigestAsync(evaluator.BuildDirectoryFor(candidate.Flags), compiler, [.. request.BaselineFlags, .. candidate.Flags], sink, ct) is { } remarks)
                record = record with { RemarkChanges = ProgramEvidenceCollector.DescribeChanges(baselineRemarks, remarks) };
            ledger.Append("trial", record);
            trials.Add(record);
            proposed++;
            if (record.CountsAgainstBudget()) built++;
            sink.Info($"trial {record.Trial} [{built}/{request.MaxTrials} measured] {candidate}: {record.Describe()}");
        }
        if (built >= request.MaxTrials) sink.Info($"trial budget used ({request.MaxTrials}, AutoPassMaxTrials)");
        else if (clock.Elapsed >= deadline) sink.Info($"time budget used ({request.MaxMinutes} min, AutoPassMaxMinutes)");

        var conclusion = await new WinnerConfirmation(evaluator, sink, request.Seed).ConcludeAsync(trials, trialNumber, ct);
        foreach (var t in conclusion.Trials) { ledger.Append("trial", t); trials.Add(t); }

        string agentsUsed = agents is not null && agents.Exchanges.Any(e => e.Implementation == "ollama") ? $"ollama:{request.Model ?? AgentOptions.DefaultModel}" : "builtin";
        var lockFile = LockFileBuilder.Build(request, statistics.MinEffect, compiler, trials, conclusion.Winner, conclusion.Confirmation, conclusion.Minimized?.Attribution ?? [], built, agentsUsed);
        // A Ctrl+C that arrived while finishing up still means: pin nothing.
        ct.ThrowIfCancellationRequested();
        PinnedFiles.Write(request.OutputDir, lockFile);
        ledger.Append("pinned", new { lockFile.Outcome, lockFile.Flags, lockFile.Speedup, lockFile.Reason });
        File.WriteAllText(Path.Combine(request.IntermediateDir, "report.html"), Reporting.HtmlReport.Render(trials, lockFile));
        return new SessionResult(lockFile, conclusion.Winner, conclusion.Confirmation, trials, evaluator.ReusedMeasurements, ledger.Path);
    }

    private void AppendSessionHeader(Ledger ledger, string requestKey, string? note) =>
        ledger.Append("session", new
        {
            requestKey,
            tool = Workload.ToolVersion.Current,
            request.SourceDir,
            request.BaselineFlags,
            benchmarks = request.Benchmarks.Select(b => b.DisplayName),
            request.MaxTrials,
            request.MaxMinutes,
            request.Seed,
            note,
        });

    /// <summary>
    /// The search: combination of confident winners first, screening of the edits known to matter for the
    /// first half of the budget, then a bandit over screening, the agent stages
    /// (model-backed or built-in), mutation and parameter tuning; or plain random search as a yardstick.
    /// </summary>
    public static IReadOnlyList<ICandidateSource> Sources(SearchMode mode, ICandidateSource? agents) => mode switch
    {
        SearchMode.Random => [new RandomSearch()],
        _ => [new StrategyBandit(
            agents is null
                ? [new SingleFlagScreening(), new GroupMutation(), new ParameterTuning()]
                : [new SingleFlagScreening(), agents, new GroupMutation(), new ParameterTuning()],
            priority: new WinnerCombination(), opening: new SingleFlagScreening(promisingOnly: true))],
    };

    /// <summary>The first source (in order) with something new to offer.</summary>
    public static async Task<Candidate?> NextCandidateAsync(IReadOnlyList<ICandidateSource> sources, SearchState state, CancellationToken ct)
    {
        foreach (var source in sources)
        {
            var proposals = await source.ProposeAsync(state, 1, ct);
            var fresh = proposals.FirstOrDefault(p => p.Flags.Count > 0 && !state.WasTried(p.Flags));
            if (fresh is not null) return fresh;
        }
        return null;
    }
}
