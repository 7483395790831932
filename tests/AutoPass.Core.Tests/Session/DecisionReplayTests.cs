using AutoPass.Core.Agents;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Compilers;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Session;

/// <summary>Replay of a session's search from its ledger, where races carried entrants on to later races.</summary>
[Trait("Category", "Real")]
public sealed class DecisionReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_session_whose_races_carried_entrants_on_is_replayed_decision_for_decision()
    {
        var request = new TuningRequest
        {
            SourceDir = _dir, OutputDir = Path.Combine(_dir, "pinned"), IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec("kernel", [])], MaxTrials = 40, Agents = AgentMode.Builtin,
        };
        var catalog = await CompilerProbe.CatalogAsync(await InstalledCompilers.Gcc(), request.BaselineFlags);
        var sink = new RecordingDiagnosticSink();
        var calibration = new TrialRecord { Trial = 0, Phase = TrialPhase.Calibration, Flags = [], Origin = "calibration", BuildStatus = BuildStatus.Ok, OutputCheck = OutputCheckStatus.Equal };
        var driver = new SearchDriver(SearchDriver.Sources(request.Search, await AgentStages.CreateAsync(request, sink, CancellationToken.None)),
            catalog, new FlagPolicy(new PolicyOptions(), catalog), request.BaselineFlags, request.Seed, [calibration], new SearchBudget(request.MaxTrials));
        string ledgerPath = Path.Combine(_dir, "ledger.jsonl");
        int races = 0;
        TrialRecord? carried = null;
        using (var ledger = new Ledger(ledgerPath))
        {
            // A session's header names the rules its search proposed by (the driver's, the current ones).
            ledger.Append(new SessionLine
            {
                RequestKey = "replay-test", Tool = "test", SourceDir = request.SourceDir, BaselineFlags = request.BaselineFlags,
                Benchmarks = ["kernel"], MaxTrials = request.MaxTrials, Seed = request.Seed, SearchRules = SearchDriver.CurrentRules,
            });
            ledger.Append(calibration);
            // The session's loop, with made-up verdicts; each race's last entrant goes on in the next race and comes back
            // from there first, as a race card hands back carried entrants; the last is finished after the search.
            while (driver.NextBatch(request.RaceSize) is { } batch)
            {
                var entered = new List<TrialRecord>();
                while (await batch.NextAsync(CancellationToken.None) is { } next)
                {
                    entered.Add(Measured(next.Trial, next.Candidate, races + 1));
                    batch.Took(next.Trial, new SearchEntry(Raced: true, Counts: true));
                }
                if (entered.Count == 0) break;
                int race = ++races;
                var back = new List<TrialRecord>();
                if (carried is not null) back.Add(carried with { LeftRace = race });
                back.AddRange(entered.Take(entered.Count - 1));
                carried = entered[^1];
                foreach (var record in back) ledger.Append(record);
                driver.Record(back);
            }
            ledger.Append(carried! with { LeftRace = ++races });
        }
        var written = Ledger.Read(ledgerPath).Lines.OfType<TrialRecord>().Where(t => t.Phase == TrialPhase.Screen).ToList();
        Assert.True(written.Count(t => t.LeftRace is not null) >= 3, "the session carried entrants on");
        Assert.Contains(written, t => t.Origin == "combine");

        var outcome = await DecisionReplay.RunAsync(request, catalog, ledgerPath, sink, CancellationToken.None);

        Assert.Null(outcome.FirstDivergence);
        Assert.Equal(written.Count, outcome.Decisions);
        Assert.Equal(outcome.Decisions, outcome.Matched);

        // The same candidates in the same order, but numbered or raced otherwise than the replay's batches: not the same session.
        string Tampered(string name, Func<TrialRecord, TrialRecord> change)
        {
            string path = Path.Combine(_dir, name + ".jsonl");
            using var ledger = new Ledger(path);
            foreach (var line in Ledger.Read(ledgerPath).Lines) ledger.Append(line is TrialRecord { Phase: TrialPhase.Screen } trial ? change(trial) : line);
            return path;
        }
        var renumbered = await DecisionReplay.RunAsync(request, catalog, Tampered("renumbered", t => t with { Trial = t.Trial + 1000 }), sink, CancellationToken.None);
        Assert.Equal($"trial 1001: the replay proposed '{string.Join(' ', written.MinBy(t => t.Trial)!.Flags)}' as trial 1", renumbered.FirstDivergence);
        Assert.Equal(0, renumbered.Matched);
        var reraced = await DecisionReplay.RunAsync(request, catalog, Tampered("reraced", t => t.Race == 2 ? t with { Race = 7 } : t), sink, CancellationToken.None);
        Assert.Matches("^trial \\d+: the session raced '.+' in race 7, the replay in race 2$", reraced.FirstDivergence);
        Assert.Equal(outcome.Decisions - written.Count(t => t.Race == 2), reraced.Matched);
    }

    [Fact]
    public async Task A_real_raced_session_is_replayed_with_the_same_candidates_trial_numbers_and_races()
    {
        using var project = new UnrulyProject("faulty");
        var request = project.Request(new BenchmarkSpec("ok", [])) with
        {
            MaxTrials = 9, RaceSize = 3, Agents = AgentMode.Builtin, TuneScope = TuneScope.Project, BaselineFlags = ["-O1"],
        };

        var result = await new TuningSession(request, new RecordingDiagnosticSink()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(8));

        var screened = result.Trials.Where(t => t.Phase == TrialPhase.Screen).ToList();
        Assert.True(screened.Select(t => t.Race).OfType<int>().Distinct().Count() > 1, "the session ran more than one race");
        var session = Ledger.LastSession(result.LedgerPath);
        var compiler = await CompilerProbe.IdentifyAsync(session.OfType<CompilerLine>().Last().Path, CancellationToken.None);
        var catalog = await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, CancellationToken.None);
        var outcome = await DecisionReplay.RunAsync(request, catalog, result.LedgerPath, new RecordingDiagnosticSink(), CancellationToken.None);

        Assert.Null(outcome.FirstDivergence);
        Assert.Equal((screened.Count, screened.Count), (outcome.Decisions, outcome.Matched));
    }

    [Fact]
    public async Task The_stored_raced_session_of_the_kernels_sample_replays_decision_for_decision()
    {
        // tests/fixtures/ledgers/kernels-races: a real session of this version, races of four, entrants carried on; its request.json as a request here.
        string fixture = Path.GetFullPath(Path.Combine(CProjectFixtures.Path(".."), "ledgers", "kernels-races"));
        var request = new TuningRequest
        {
            SourceDir = Path.GetFullPath(Path.Combine(fixture, "..", "..", "..", "..", "samples", "kernels")), OutputDir = Path.Combine(_dir, "pinned"),
            IntermediateDir = fixture, Benchmarks = [new BenchmarkSpec("matmul", ["10"]), new BenchmarkSpec("stencil", ["30"])], BaselineFlags = ["-O1"],
            RaceSize = 4, MaxTrials = 20, MaxMinutes = 6, Seed = 1, Agents = AgentMode.Builtin, TuneScope = TuneScope.Project,
        };
        string ledgerPath = Path.Combine(fixture, "ledger.jsonl");
        var session = Ledger.LastSession(ledgerPath);
        var screened = session.OfType<TrialRecord>().Where(t => t.Phase == TrialPhase.Screen).ToList();
        Assert.Contains(screened, t => t.LeftRace is not null);
        var compiler = await CompilerProbe.IdentifyAsync(session.OfType<CompilerLine>().Last().Path, CancellationToken.None);
        var catalog = await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags, CancellationToken.None);

        var outcome = await DecisionReplay.RunAsync(request, catalog, ledgerPath, new RecordingDiagnosticSink(), CancellationToken.None);

        Assert.Null(outcome.FirstDivergence);
        Assert.Equal((screened.Count, screened.Count), (outcome.Decisions, outcome.Matched));
    }

    /// <summary>A verdict that depends on the flags alone: about one candidate in four is faster.</summary>
    private static TrialRecord Measured(int trial, Candidate candidate, int race)
    {
        int hash = candidate.Key.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fff;
        double speedup = 0.97 + hash % 8 * 0.01;
        var decision = speedup >= 1.03 ? SpeedupDecision.Faster : SpeedupDecision.NotFaster;
        return new TrialRecord
        {
            Trial = trial, Phase = TrialPhase.Screen, Flags = candidate.Flags, Origin = candidate.Origin, BuildStatus = BuildStatus.Ok,
            BinaryHash = $"{hash:x4}{trial:x4}", OutputCheck = OutputCheckStatus.Equal, Race = race,
            Verdict = new SpeedupVerdict(speedup, speedup - 0.02, speedup + 0.02, 0.99, decision, 8) { MinEffect = 0.01 },
        };
    }
}
