using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>AutoPassMaxMinutes bounds the whole session, a trial under way included, and the session still concludes.</summary>
[Trait("Category", "Real")]
public sealed class SessionDeadlineTests : IDisposable
{
    private readonly UnrulyProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_trial_running_at_the_deadline_is_cut_and_the_session_concludes_with_the_finished_trials()
    {
        // stayhome sleeps an hour when built anywhere but the baseline's tree, and its own Timeout allows that:
        // the first candidate's check run lasts until something stops it.
        var request = _project.Request(new BenchmarkSpec("stayhome", [], TimeoutSeconds: 3600)) with
        {
            MaxMinutes = 0.5,
            MaxTrials = 10,
            Search = SearchMode.Random,
        };
        var sink = new RecordingDiagnosticSink();
        try
        {
            // The bound only turns a hang into a failure.
            var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));

            Assert.Contains(sink.Entries, e => e.Message == "the trials under way were cut at the time budget; they are not recorded");
            Assert.Contains(sink.Entries, e => e.Message.StartsWith("time budget used", StringComparison.Ordinal));
            // The cut trial is not a result: no trial ran past its limit, in the session's result or its ledger.
            Assert.DoesNotContain(result.Trials, t => t.OutputCheck == Core.Check.OutputCheckStatus.Timeout);
            Assert.Equal(result.Trials.Select(t => t.Trial), Ledger.Read(result.LedgerPath).Lines.OfType<TrialRecord>().Select(t => t.Trial));
            // The session concluded as usual: it pinned what the finished trials showed (here, no gain) and wrote its files.
            Assert.True(File.Exists(Path.Combine(request.OutputDir, "autopass.lock.json")));
            Assert.Single(Ledger.Read(result.LedgerPath).Lines.OfType<PinnedLine>());
            // Its report was drawn from the finished ledger while the session still held it open: one row per trial.
            string report = File.ReadAllText(result.Findings.Paths.Report);
            Assert.Equal(result.Trials.Count, System.Text.RegularExpressions.Regex.Matches(report, "<tr class=\"trial").Count);
            Assert.Contains("Pinned: the baseline", report);
            // The candidate cut in its check run was killed, not left sleeping.
            Assert.True(await ProcessTable.EndWithinAsync(() => ProcessTable.RunningFrom(_project.Directory), TimeSpan.FromSeconds(10)));
        }
        finally
        {
            ProcessTable.Kill(ProcessTable.RunningFrom(_project.Directory));
        }
    }

    [Fact]
    public async Task A_budget_the_baseline_and_calibration_use_up_ends_with_a_warning_saying_so_and_the_baseline_pinned()
    {
        // The calibration alone (20 pairs of 80 ms runs) outlasts a budget of a few seconds.
        using var sleeper = new UnrulyProject("sleeper");
        var request = sleeper.Request(new BenchmarkSpec("sleeper", [])) with { MaxMinutes = 0.02, Search = SearchMode.Random, Agents = AgentMode.Builtin };
        var sink = new RecordingDiagnosticSink();

        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

        var warning = Assert.Single(sink.Entries, e => e.Code == DiagnosticCode.BudgetSpentBeforeSearch);
        Assert.StartsWith("The time budget (0.02 min) ran out before any candidate was timed: building, profiling and calibrating the baseline took ", warning.Message);
        Assert.Contains("Raise AutoPassMaxMinutes", warning.Message);
        Assert.Equal(0, result.Findings.Cost.MeasuredCandidates);
        var pinned = Core.Pinning.LockFile.Parse(File.ReadAllText(Path.Combine(request.OutputDir, "autopass.lock.json")));
        Assert.Equal(("baseline", "No candidate was timed against the baseline."), (pinned.Outcome, pinned.Reason));
    }
}
