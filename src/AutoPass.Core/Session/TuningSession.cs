using System.Diagnostics;
using AutoPass.Core.Agents;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Pinning;
using AutoPass.Core.Reporting;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// One tuning session, as a pipeline: validate → baseline → calibrate → search → conclude → pin → export.
/// Each step is a small type that takes and returns records; only the session writes the ledger. Nothing is
/// pinned unless the session finishes.
/// </summary>
internal sealed class TuningSession(TuningRequest request, IDiagnosticSink sink)
{
    private readonly IDiagnosticSink sink = request.NoNoiseWarnings ? new NoiseWarningFilter(sink) : sink;

    /// <summary>The outputs of a finished session, in order: the pinned files first, then what people read.</summary>
    private static readonly ISessionExporter[] Reports = [new HtmlReportExporter(), new SummaryExporter(), new MarkdownSummaryExporter()];

    public async Task<SessionResult> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var setup = SessionSetup.Validate(request, sink);
        // One session per project: a second one would share the ledger, the build trees, the output files or the pinned files.
        using var sessionLock = SessionLock.Acquire(setup.Paths.IntermediateDir, request.SourceDir, setup.Paths.OutputDir);
        using var ledger = new SessionLedger(setup.Paths, request, sink);
        var baseline = await new BaselineStep(setup).RunAsync(ledger, ct, () => TimeSpan.FromMinutes(request.MaxMinutes) - clock.Elapsed);
        var calibrated = await new CalibrationStep(setup).RunAsync(baseline, ledger, ct);
        var searched = await new SearchStep(setup, baseline, calibrated).RunAsync(ledger, clock, ct);

        var trials = searched.Trials;
        var conclusion = await new WinnerConfirmation(searched.Evaluator, sink, request.Seed, calibrated.Statistics, () => searched.Budget.TimeLeft).ConcludeAsync(trials, trials.Max(t => t.Trial) + 1, ct);
        ledger.AppendAll(conclusion.Trials);
        trials.AddRange(conclusion.Trials);

        // "<provider>:<model>" of the model that answered (the exchanges name both), else "builtin".
        string agents = searched.Agents?.Exchanges.FirstOrDefault(e => e.FromModel) is { } m
            ? $"{m.Implementation}:{m.Model}" : "builtin";
        var findings = new SessionFindings(request, setup.Paths, baseline.Compiler, calibrated.Statistics.MinEffect, trials, conclusion,
            searched.Budget.Built, searched.Evaluator.ReusedMeasurements, agents, searched.Cost, calibrated.NoiseFindings,
            baseline.HotFiles?.SourceFiles(request.SourceDir));
        var result = new SessionResult(findings, LockFileBuilder.Build(findings));

        // A Ctrl+C that arrived while finishing up still means: pin nothing.
        ct.ThrowIfCancellationRequested();
        new PinnedFilesExporter().Export(result);
        var pinned = result.Lock;
        ledger.Append(new PinnedLine(pinned.Outcome, pinned.Flags, result.Confirmation?.Verdict is { } v && pinned.Outcome == "improved" ? v : null, pinned.Reason));
        foreach (var report in Reports) report.Export(result);
        return result;
    }
}
