using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Policy;
using AutoPass.Core.Racing;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Search;

/// <summary>One candidate from proposal to verdict, with the real gcc and CMake on small fixture projects.</summary>
[Trait("Category", "Real")]
public sealed class TrialEvaluatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly StatisticsOptions Statistics = new(MaxPairs: 12, Resamples: 500);

    private Task<TrialEvaluator> EvaluatorFor(string fixture, string target, PolicyOptions policy, bool withCatalog = true) =>
        EvaluatorFor(fixture, new BenchmarkSpec(target, []), policy, withCatalog);

    private async Task<TrialEvaluator> EvaluatorFor(string fixture, BenchmarkSpec benchmark, PolicyOptions policy, bool withCatalog = true)
    {
        // A copy: benchmarks run in the source directory and may write files there.
        string source = Path.Combine(_dir, "src");
        foreach (var file in Directory.EnumerateFiles(CProjectFixtures.Path(fixture)))
        {
            Directory.CreateDirectory(source);
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)), overwrite: true);
        }
        var request = new TuningRequest
        {
            SourceDir = source,
            OutputDir = Path.Combine(_dir, "pinned"),
            IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [benchmark],
            AllowUnsafeMath = policy.AllowUnsafeMath,
        };
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir));
        var runner = new ProgramRunner(pinToCore: true);
        var baseline = await new BaselineSetup(request, builder, runner, new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None);
        var compiler = await CompilerProbe.IdentifyAsync(baseline.Build.CCompilerPath!);
        var catalog = withCatalog ? await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags) : null;
        return new TrialEvaluator(request, builder, baseline, new FlagPolicy(policy, catalog), compiler, runner, Statistics);
    }

    /// <summary>A screening race of <paramref name="batch"/> as the session runs one: each entered (gated, built, reused), then raced.</summary>
    private static async Task<IReadOnlyList<TrialRecord>> RaceAsync(TrialEvaluator evaluator, IReadOnlyList<(int Trial, Candidate Candidate)> batch, Func<bool> timeUp)
    {
        var race = new ScreeningRace(evaluator, new RaceCard<RaceEntry>(race: 1, carried: [], armSeconds: 0));
        foreach (var (trial, candidate) in batch) await race.EnterAsync(trial, candidate, CancellationToken.None);
        return (await race.RunAsync(evaluator.Plan, seed: 3, timeUp, CancellationToken.None)).Records;
    }

    [Fact]
    public async Task A_candidate_whose_output_differs_from_the_baseline_is_rejected_untimed()
    {
        var evaluator = await EvaluatorFor("flagsensitive", "fpsum", new PolicyOptions(AllowUnsafeMath: true));

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-ffast-math"], "test"), TrialPhase.Screen, 1, CancellationToken.None);

        Assert.Equal(BuildStatus.Ok, trial.BuildStatus);
        Assert.Equal(OutputCheckStatus.Differs, trial.OutputCheck);
        Assert.Contains("the baseline printed 'checksum 556.34633218705062'", trial.OutputCheckMessage);
        Assert.Null(trial.Verdict);
        Assert.Empty(trial.Benchmarks);
    }

    [Fact]
    public async Task A_declared_output_file_that_differs_from_the_baselines_is_rejected_even_when_stdout_matches()
    {
        var evaluator = await EvaluatorFor("flagsensitive", new BenchmarkSpec("fpfile", [], OutputFiles: ["fpsum.out"]), new PolicyOptions(AllowUnsafeMath: true));

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-ffast-math"], "test"), TrialPhase.Screen, 1, CancellationToken.None);

        Assert.Equal(OutputCheckStatus.Differs, trial.OutputCheck);
        Assert.Contains("wrote a different 'fpsum.out' than the baseline", trial.OutputCheckMessage);
        Assert.Null(trial.Verdict);
    }

    [Fact]
    public async Task The_benchmarks_own_verify_command_decides_instead_of_equality()
    {
        // Accepts any sum within 1e-9 relative of the exact one: fast-math's reassociation passes.
        var verify = new BenchmarkSpec("fpsum", [], VerifyCommand: ["awk", "{ d = $2 - 556.346332187; if (d < 0) d = -d; exit (d > 1e-6) }"]);
        var evaluator = await EvaluatorFor("flagsensitive", verify, new PolicyOptions(AllowUnsafeMath: true));

        var accepted = await evaluator.EvaluateAsync(1, new Candidate(["-ffast-math"], "test"), TrialPhase.Screen, 1, CancellationToken.None);
        Assert.Equal(OutputCheckStatus.Equal, accepted.OutputCheck);
        Assert.NotNull(accepted.Verdict);

        var strict = new BenchmarkSpec("fpsum", [], VerifyCommand: ["grep", "-q", "^checksum 556.34633218705062$"]);
        var strictEvaluator = await EvaluatorFor("flagsensitive", strict, new PolicyOptions(AllowUnsafeMath: true));
        var rejected = await strictEvaluator.EvaluateAsync(1, new Candidate(["-ffast-math"], "test"), TrialPhase.Screen, 1, CancellationToken.None);
        Assert.Equal(OutputCheckStatus.Differs, rejected.OutputCheck);
        Assert.Contains("its verify command 'grep -q ^checksum 556.34633218705062$' failed", rejected.OutputCheckMessage);
    }

    [Fact]
    public async Task Every_verdict_can_be_recomputed_from_the_samples_in_the_ledger()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());
        string ledgerPath = Path.Combine(_dir, "ledger.jsonl");
        using (var ledger = new AutoPass.Core.Evidence.Ledger(ledgerPath))
        {
            ledger.Append(await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops"], "test"), TrialPhase.Screen, 1, CancellationToken.None));
            ledger.Append(await evaluator.EvaluateAsync(2, new Candidate(["-funroll-loops"], "confirm"), TrialPhase.Confirm, 2, CancellationToken.None));
        }

        var trials = AutoPass.Core.Evidence.Ledger.Read(ledgerPath).Lines.OfType<TrialRecord>().ToList();
        Assert.Equal(2, trials.Count);
        foreach (var trial in trials)
        {
            var samples = trial.Benchmarks.Select(b => new BenchmarkSamples(b.Benchmark, b.ObjectiveSamples())).ToList();
            // Screening decided at the sequential test's per-look confidence; the confirmation at the nominal one.
            double confidence = trial.Phase == TrialPhase.Screen ? new SequentialSpeedupTest(Statistics).LookConfidence : Statistics.Confidence;
            var recomputed = CombinedSpeedup.Decide(samples, Statistics, confidence);
            Assert.Equal(trial.Verdict!.Speedup, recomputed.Speedup, 12);
            Assert.Equal(trial.Verdict.Low, recomputed.Low, 12);
            Assert.Equal(trial.Verdict.High, recomputed.High, 12);
            Assert.Equal(trial.Verdict.Decision == SpeedupDecision.NotFaster && recomputed.Decision == SpeedupDecision.Inconclusive
                ? SpeedupDecision.NotFaster : recomputed.Decision, trial.Verdict.Decision);
        }
        Assert.Equal(Statistics.MaxPairs, trials[1].Benchmarks[0].BaselineSeconds.Count);
    }

    [Fact]
    public async Task Minimization_times_a_candidate_head_to_head_against_another_build_in_a_race_of_one()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());
        var reference = await evaluator.BuildAsync(["-funroll-loops"], CancellationToken.None);

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-fno-inline"], "minimize"), TrialPhase.Minimize, 1, CancellationToken.None, reference);

        // The reference is the race's other arm; the output is still checked against the baseline's, in the first round.
        Assert.Equal(BuildStatus.Ok, trial.BuildStatus);
        Assert.Equal(OutputCheckStatus.Equal, trial.OutputCheck);
        Assert.InRange(trial.Verdict!.Pairs, Statistics.FirstLook, Statistics.MaxPairs);
        Assert.Null(trial.RaceExit);
    }

    [Fact]
    public async Task A_forbidden_flag_is_rejected_with_its_reason_and_never_built()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops", "-fplugin=/tmp/evil.so"], "test"), TrialPhase.Screen, 1, CancellationToken.None);

        Assert.Equal(BuildStatus.Rejected, trial.BuildStatus);
        Assert.StartsWith("policy: -fplugin=/tmp/evil.so: ", trial.BuildMessage);
        Assert.False(Directory.Exists(evaluator.BuildDirectoryFor(trial.Flags)));
    }

    [Fact]
    public async Task A_flag_the_compiler_does_not_know_is_rejected_by_a_probe_compile_before_any_build()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions(), withCatalog: false);

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops", "-fsuper-vectorize-everything"], "test"), TrialPhase.Screen, 1, CancellationToken.None);

        Assert.Equal(BuildStatus.Rejected, trial.BuildStatus);
        Assert.StartsWith("gcc rejects: -fsuper-vectorize-everything (", trial.BuildMessage);
        Assert.False(Directory.Exists(evaluator.BuildDirectoryFor(trial.Flags)));
    }

    [Fact]
    public async Task Identical_binaries_reuse_the_earlier_measurement_instead_of_timing_again()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());

        var first = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops"], "test"), TrialPhase.Screen, 1, CancellationToken.None);
        // Flags that do not change this program's code: same binary as trial 1.
        var second = await evaluator.EvaluateAsync(2, new Candidate(["-funroll-loops", "-fno-semantic-interposition"], "test"), TrialPhase.Screen, 2, CancellationToken.None);

        Assert.Equal(BuildStatus.Ok, first.BuildStatus);
        Assert.NotNull(first.Verdict);
        Assert.Equal(first.BinaryHash, second.BinaryHash);
        Assert.Equal(BuildStatus.Reused, second.BuildStatus);
        Assert.Equal(1, second.ReusedFrom);
        Assert.Same(first.Benchmarks, second.Benchmarks);
        Assert.Equal(1, evaluator.ReusedMeasurements);
    }

    [Fact]
    public async Task A_race_times_its_entrants_against_shared_baseline_runs_and_settles_twins_and_rejects_untimed()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());
        (int, Candidate)[] batch =
        [
            (1, new Candidate(["-funroll-loops"], "test")),
            (2, new Candidate(["-fplugin=/tmp/evil.so"], "test")),
            (3, new Candidate(["-fno-tree-vectorize"], "test")),
            // Flags that do not change this program's code: the same binary as trial 1, timed once.
            (4, new Candidate(["-funroll-loops", "-fno-semantic-interposition"], "test")),
        ];

        var records = await RaceAsync(evaluator, batch, timeUp: () => false);

        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Trial));
        Assert.Equal(BuildStatus.Rejected, records[1].BuildStatus);
        Assert.Null(records[1].Race);
        var twin = records[3];
        Assert.Equal(BuildStatus.Reused, twin.BuildStatus);
        Assert.Equal(1, twin.ReusedFrom);
        Assert.Equal(records[0].Verdict, twin.Verdict);
        Assert.Equal(1, evaluator.ReusedMeasurements);

        var raced = new[] { records[0], records[2] };
        foreach (var entrant in raced)
        {
            Assert.Equal(1, entrant.Race);
            Assert.NotNull(entrant.RaceExit);
            Assert.InRange(entrant.Verdict!.Pairs, Statistics.FirstLook, Statistics.MaxPairs);
            var samples = Assert.Single(entrant.Benchmarks);
            Assert.Equal(entrant.Verdict.Pairs, samples.BaselineSeconds.Count);
            Assert.Equal(samples.BaselineSeconds.Count, samples.CandidateSeconds.Count);
            Assert.True(entrant.BuildSeconds > 0);
        }
        // One baseline run per round serves every entrant: their rounds share the baseline's times.
        int shared = raced.Min(r => r.Verdict!.Pairs);
        Assert.Equal(raced[0].Benchmarks[0].BaselineSeconds.Take(shared), raced[1].Benchmarks[0].BaselineSeconds.Take(shared));
        Assert.NotEqual(raced[0].Benchmarks[0].CandidateSeconds.Take(shared), raced[1].Benchmarks[0].CandidateSeconds.Take(shared));
    }

    [Theory]
    [InlineData("stdout")]
    [InlineData("output file")]
    [InlineData("verify command")]
    public async Task A_race_checks_each_entrants_output_in_its_first_round_and_times_only_those_that_compute_what_the_baseline_does(string checkedBy)
    {
        var benchmark = checkedBy switch
        {
            "stdout" => new BenchmarkSpec("fpsum", []),
            "output file" => new BenchmarkSpec("fpfile", [], OutputFiles: ["fpsum.out"]),
            _ => new BenchmarkSpec("fpsum", [], VerifyCommand: ["grep", "-q", "^checksum 556.34633218705062$"]),
        };
        var evaluator = await EvaluatorFor("flagsensitive", benchmark, new PolicyOptions(AllowUnsafeMath: true));
        // -ffast-math reassociates the sum: another checksum on stdout, and in the file fpfile writes.
        (int, Candidate)[] batch = [(1, new Candidate(["-ffast-math"], "test")), (2, new Candidate(["-funroll-loops"], "test"))];

        var records = await RaceAsync(evaluator, batch, timeUp: () => false);

        var (wrong, right) = (records[0], records[1]);
        Assert.All(records, r => Assert.Equal(1, r.Race));
        Assert.Equal(OutputCheckStatus.Differs, wrong.OutputCheck);
        Assert.Contains(checkedBy switch { "stdout" => "the baseline printed 'checksum 556.34633218705062'", "output file" => "wrote a different 'fpsum.out'", _ => "its verify command" },
            wrong.OutputCheckMessage);
        Assert.Null(wrong.Verdict);
        Assert.Empty(wrong.Benchmarks);
        Assert.Equal(TrialOutcome.WrongOutput, wrong.Outcome());
        Assert.Equal(OutputCheckStatus.Equal, right.OutputCheck);
        Assert.NotNull(right.Verdict);
        Assert.InRange(right.Verdict.Pairs, RaceLooks.FewestPairs, Statistics.MaxPairs);
    }

    [Fact]
    public async Task An_entrant_left_alone_goes_on_in_the_next_race_with_its_pairs_and_its_record_comes_back_from_there()
    {
        var evaluator = await EvaluatorFor("flagsensitive", new BenchmarkSpec("fpsum", []), new PolicyOptions(AllowUnsafeMath: true));
        // -ffast-math computes another sum and leaves in the first round: -funroll-loops is left alone, and carried on.
        var race1 = new ScreeningRace(evaluator, new RaceCard<RaceEntry>(race: 1, carried: [], armSeconds: 0));
        await race1.EnterAsync(1, new Candidate(["-ffast-math"], "test"), CancellationToken.None);
        await race1.EnterAsync(2, new Candidate(["-funroll-loops"], "test"), CancellationToken.None);
        var (first, carriedOn) = await race1.RunAsync(evaluator.Plan, seed: 3, () => false, CancellationToken.None, carry: () => true, raceSize: 8);

        var wrong = Assert.Single(first);
        Assert.Equal(OutputCheckStatus.Differs, wrong.OutputCheck);
        Assert.Single(carriedOn);

        // A race with no new entrant leaves it waiting; the next one with entrants takes it in.
        var (none, waiting) = await new ScreeningRace(evaluator, new RaceCard<RaceEntry>(race: 2, carriedOn, armSeconds: 0))
            .RunAsync(evaluator.Plan, seed: 4, () => false, CancellationToken.None, carry: () => true, raceSize: 8);
        Assert.Empty(none);
        Assert.Equal(carriedOn, waiting);
        var race3 = new ScreeningRace(evaluator, new RaceCard<RaceEntry>(race: 3, waiting, armSeconds: 0));
        await race3.EnterAsync(3, new Candidate(["-fno-tree-vectorize"], "test"), CancellationToken.None);
        var (second, stillCarried) = await race3.RunAsync(evaluator.Plan, seed: 5, () => false, CancellationToken.None);

        Assert.Equal([2, 3], second.Select(r => r.Trial));
        var (carried, fresh) = (second[0], second[1]);
        Assert.Empty(stillCarried);
        Assert.Equal((1, 3), (carried.Race, carried.LeftRace));
        Assert.Equal((3, (int?)null), (fresh.Race, fresh.LeftRace));
        Assert.Equal(OutputCheckStatus.Equal, carried.OutputCheck);
        // Its first pair came from race 1; from race 3 on, it shared each round's baseline run with the new entrant.
        var (carriedRuns, freshRuns) = (carried.Benchmarks[0], fresh.Benchmarks[0]);
        Assert.Equal(carried.Verdict!.Pairs, carriedRuns.BaselineSeconds.Count);
        int shared = Math.Min(carriedRuns.BaselineSeconds.Count - 1, freshRuns.BaselineSeconds.Count);
        Assert.True(shared >= RaceLooks.FewestPairs - 1);
        Assert.Equal(freshRuns.BaselineSeconds.Take(shared), carriedRuns.BaselineSeconds.Skip(1).Take(shared));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(4, true)]
    public async Task A_race_the_time_budget_stops_keeps_as_measured_only_the_entrants_that_reached_the_first_cut(int rounds, bool measured)
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());
        (int, Candidate)[] batch = [(1, new Candidate(["-funroll-loops"], "test")), (2, new Candidate(["-fno-tree-vectorize"], "test"))];
        // The budget is checked before each round: this one runs out after the given number of rounds.
        int checks = 0;

        var records = await RaceAsync(evaluator, batch, timeUp: () => ++checks > rounds);

        Assert.All(records, r => Assert.Equal(1, r.Race));
        if (measured)
            Assert.All(records, r =>
            {
                Assert.Equal(RaceExit.Unfinished, r.RaceExit);
                Assert.Equal(SpeedupDecision.NotFaster, r.Verdict!.Decision);
                Assert.Equal(rounds, r.Verdict.Pairs);
                Assert.Equal(TrialOutcome.Measured, r.Outcome());
            });
        else
            Assert.All(records, r => { Assert.Null(r.Verdict); Assert.Empty(r.Benchmarks); });
        // The first round is the output check: a race stopped before it leaves its entrants unchecked.
        Assert.All(records, r => Assert.Equal(rounds > 0 ? OutputCheckStatus.Equal : OutputCheckStatus.NotRun, r.OutputCheck));
    }

    [Fact]
    public async Task A_resumed_trial_the_time_budget_left_untimed_is_timed_again_not_reused()
    {
        var first = await EvaluatorFor("faulty", "ok", new PolicyOptions());
        var timed = await first.EvaluateAsync(1, new Candidate(["-funroll-loops"], "test"), TrialPhase.Screen, 1, CancellationToken.None);
        // What a race cut by the time budget leaves in the ledger: built, checked, never timed.
        var untimed = timed with { Benchmarks = [], Verdict = null, Race = 1, OutputCheckMessage = "the time budget ran out before it was timed" };

        var resumed = await EvaluatorFor("faulty", "ok", new PolicyOptions());
        resumed.Remember(untimed);
        var again = await resumed.EvaluateAsync(2, new Candidate(["-funroll-loops"], "test"), TrialPhase.Screen, 2, CancellationToken.None);

        Assert.Equal(BuildStatus.Ok, again.BuildStatus);
        Assert.Null(again.ReusedFrom);
        Assert.NotNull(again.Verdict);
        Assert.Equal(0, resumed.ReusedMeasurements);
    }

    [Fact]
    public async Task A_full_winner_loses_only_the_flags_that_build_identical_binaries_one_at_a_time()
    {
        // fpsum has no switch, so -fno-jump-tables changes nothing; -funroll-loops changes its loops.
        var evaluator = await EvaluatorFor("flagsensitive", "fpsum", new PolicyOptions());
        var minimization = new WinnerMinimization(evaluator, new RecordingDiagnosticSink());

        var (flags, trials) = await minimization.DropNoOpsAsync(["-funroll-loops", "-fno-jump-tables"], ["-funroll-loops", "-fno-jump-tables"], 10, CancellationToken.None);

        Assert.Equal(["-funroll-loops"], flags);
        // Built, never timed: the set without -funroll-loops differs and it stays; the set without -fno-jump-tables is the same program.
        Assert.Collection(trials,
            kept => { Assert.Equal((10, BuildStatus.Ok, "-funroll-loops"), (kept.Trial, kept.BuildStatus, kept.RemovedFlag())); Assert.Null(kept.Verdict); Assert.Empty(kept.Benchmarks); },
            dropped => Assert.Equal((11, BuildStatus.Reused, "-fno-jump-tables"), (dropped.Trial, dropped.BuildStatus, dropped.RemovedFlag())));
        Assert.All(trials, t => Assert.Equal(TrialPhase.Minimize, t.Phase));
    }

    [Fact]
    public async Task No_op_suspects_are_dropped_together_when_the_set_without_them_builds_the_same_program()
    {
        var evaluator = await EvaluatorFor("flagsensitive", "fpsum", new PolicyOptions());
        var minimization = new WinnerMinimization(evaluator, new RecordingDiagnosticSink());
        string[] winner = ["-fno-jump-tables", "-funroll-loops", "-fno-tree-switch-conversion"];

        var (flags, trials) = await minimization.DropNoOpsAsync(winner, ["-fno-tree-switch-conversion", "-fno-jump-tables", "-fnot-in-the-set"], 1, CancellationToken.None);

        Assert.Equal(["-funroll-loops"], flags);
        var together = Assert.Single(trials);
        Assert.Equal(BuildStatus.Reused, together.BuildStatus);
        Assert.Equal(winner, together.ComparedWith);
        Assert.Equal("-fno-jump-tables -fno-tree-switch-conversion", together.RemovedFlag());
    }

    [Fact]
    public async Task A_suspect_whose_removal_changes_the_binaries_keeps_the_whole_set()
    {
        var evaluator = await EvaluatorFor("flagsensitive", "fpsum", new PolicyOptions());
        var minimization = new WinnerMinimization(evaluator, new RecordingDiagnosticSink());

        // Minimization saw -funroll-loops as a no-op in a shorter set; in this one it is not, and it stays.
        var (flags, trials) = await minimization.DropNoOpsAsync(["-funroll-loops", "-fno-jump-tables"], ["-funroll-loops"], 1, CancellationToken.None);

        Assert.Equal(["-funroll-loops", "-fno-jump-tables"], flags);
        Assert.Equal(BuildStatus.Ok, Assert.Single(trials).BuildStatus);
    }

    [Fact]
    public async Task A_minimizing_measurement_runs_its_pairs_in_full_where_screening_may_stop_at_futility()
    {
        var evaluator = await EvaluatorFor("optkernel", new BenchmarkSpec("mix", ["20000"]), new PolicyOptions());
        var with = await evaluator.BuildAsync(["-funroll-loops"], CancellationToken.None);

        // Without vectorization mix is several times slower: the sequential looks would stop it at the first.
        var without = await evaluator.EvaluateAsync(1, new Candidate(["-fno-tree-vectorize"], "minimize"), TrialPhase.Minimize, 1, CancellationToken.None, with);

        // Minimization asks whether the set without a flag is slower, and how much; it gets every pair to say so.
        Assert.Equal(BuildStatus.Ok, without.BuildStatus);
        Assert.Equal(Statistics.MaxPairs, without.Verdict!.Pairs);
        Assert.All(without.Benchmarks, b => Assert.Equal(Statistics.MaxPairs, b.BaselineSeconds.Count));
    }
}
