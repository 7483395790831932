using AutoPass.Core.Check;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Reporting;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Reporting;

/// <summary>The report's data model and what the page prints of it: whole labels, reuse named, each level as decided.</summary>
[Trait("Category", "Real")]
public sealed class ReportModelTests
{
    private static readonly string[] LongFlags =
        ["-funroll-loops", "-fprefetch-loop-arrays", "-fno-if-conversion2", "-fipa-pta", "-fsched-pressure", "--param=max-unroll-times=16"];

    private static TrialRecord Measured(int number, TrialPhase phase, string[] flags, SpeedupVerdict verdict, int? race = null) => new()
    {
        Trial = number, Phase = phase, Flags = flags, Origin = "test", BuildStatus = BuildStatus.Ok, BinaryHash = $"hash{number}",
        OutputCheck = OutputCheckStatus.Equal, Verdict = verdict, Race = race,
        Benchmarks = [new BenchmarkMeasurement { Benchmark = "kernel", BaselineSeconds = [1.0, 1.2, 0.9], CandidateSeconds = [0.5, 0.6, 0.6], Verdict = verdict }],
    };

    private static SpeedupVerdict Verdict(double speedup, double low, double high, double confidence, SpeedupDecision decision, int pairs = 30) =>
        new(speedup, low, high, confidence, decision, pairs) { MinEffect = 0.01 };

    private static readonly TrialRecord Calibration = Measured(0, TrialPhase.Calibration, [], Verdict(1.002, 0.99, 1.01, 0.95, SpeedupDecision.NotFaster, 20));

    private static ReportModel Model(params TrialRecord[] trials) => ReportModelBuilder.Build(ReportSource.FromLines([Calibration, .. trials], lockFile: null));

    [Fact]
    public void A_long_flag_list_is_kept_whole_in_the_model_and_on_the_page()
    {
        var model = Model(Measured(1, TrialPhase.Screen, LongFlags, Verdict(1.1, 1.05, 1.15, 0.99, SpeedupDecision.Faster), race: 1));
        string whole = string.Join(' ', LongFlags);
        Assert.True(whole.Length > 80);

        Assert.Equal(whole, model.Trials.Single(t => t.Trial == 1).FlagsText);
        string page = HtmlReport.Render(model);
        Assert.Contains($"<code>{whole}</code>", page);
        Assert.DoesNotContain("…", page);
    }

    [Fact]
    public void A_hot_file_pinned_set_names_its_files_and_their_shares_in_the_headline()
    {
        var lockFile = new Core.Pinning.LockFile
        {
            Tool = new Core.Pinning.LockTool("AutoPass", "0.1.0"),
            Compiler = new Core.Pinning.LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
            Machine = new Core.Pinning.LockMachine("cpu", 2, "linux", "x64"),
            Baseline = new Core.Pinning.LockBaseline(["-O3"]),
            Flags = ["-funroll-loops"],
            Scope = "hot",
            Files = [new Core.Pinning.LockSourceFile("src/core/sparse_cg.cpp", ["-funroll-loops"], "00", 0.615), new Core.Pinning.LockSourceFile("src/core/poisson.cpp", ["-funroll-loops"], "11", 0.175)],
            Outcome = "improved",
            Reason = "because",
            Policy = new Core.Pinning.LockPolicy(false, false),
            Speedup = new Core.Pinning.LockSpeedup(1.07, 1.04, 1.1, 0.95, 40),
            Benchmarks = [],
            Trials = 3,
        };
        var model = ReportModelBuilder.Build(ReportSource.FromLines([Calibration], lockFile));

        Assert.Equal([("src/core/sparse_cg.cpp", (double?)0.615), ("src/core/poisson.cpp", 0.175)], model.Headline.PinnedFiles);
        string page = HtmlReport.Render(model);
        Assert.Contains("on top of the baseline's, on the 2 hot files only", page);
        Assert.Contains("<code>src/core/sparse_cg.cpp</code> 61.5% of the instructions, <code>src/core/poisson.cpp</code> 17.5% of the instructions; every other file keeps the baseline's flags", page);
        Assert.DoesNotContain("hot file", HtmlReport.Render(Model()));
    }

    [Fact]
    public void A_reused_trial_says_which_trial_it_is_identical_to_and_shows_no_interval_of_its_own()
    {
        var first = Measured(1, TrialPhase.Screen, ["-funroll-loops"], Verdict(1.1, 1.05, 1.15, 0.99, SpeedupDecision.Faster), race: 1);
        var twin = first with { Trial = 2, Flags = ["-funroll-loops", "-fno-peel-loops"], BuildStatus = BuildStatus.Reused, ReusedFrom = 1 };
        var sameAsBaseline = new TrialRecord
        {
            Trial = 3, Phase = TrialPhase.Screen, Flags = ["-fno-plt"], Origin = "test", BuildStatus = BuildStatus.Reused, ReusedFrom = 0,
            OutputCheck = OutputCheckStatus.Equal, Verdict = new SpeedupVerdict(1, 1, 1, 0.95, SpeedupDecision.NotFaster, 0),
        };
        var model = Model(first, twin, sameAsBaseline);

        var row = model.Trials.Single(t => t.Trial == 2);
        Assert.Equal("identical to trial 1", row.Outcome);
        Assert.Equal(1, row.IdenticalTo);
        Assert.Null(row.Interval);
        Assert.Equal([2], model.Trials.Single(t => t.Trial == 1).IdenticalLater);
        var baselineTwin = model.Trials.Single(t => t.Trial == 3);
        Assert.Equal("identical to the baseline (not timed)", baselineTwin.Outcome);
        Assert.Null(baselineTwin.Interval);

        string page = HtmlReport.Render(model);
        Assert.Contains("identical to trial 1", page);
        Assert.DoesNotContain(", 0 pairs", page);
        Assert.DoesNotContain("1.000x [1.000, 1.000]", page);
    }

    [Fact]
    public void Each_interval_is_printed_at_the_confidence_its_trial_was_decided_at()
    {
        var screened = Measured(1, TrialPhase.Screen, ["-funroll-loops"], Verdict(1.1, 1.05, 1.15, 0.99, SpeedupDecision.Faster), race: 1);
        var confirmed = Measured(2, TrialPhase.Confirm, ["-funroll-loops"], Verdict(1.08, 1.06, 1.1, 0.9955, SpeedupDecision.Faster, 60)) with { Confirms = 1 };
        var model = Model(screened, confirmed);

        Assert.Equal("99%", model.Trials.Single(t => t.Trial == 1).Interval!.ConfidenceText);
        Assert.Equal("99.55%", model.Trials.Single(t => t.Trial == 2).Interval!.ConfidenceText);
        string page = HtmlReport.Render(model);
        Assert.Contains("<b>99%</b> screening look<br><span class=\"dim\">30 pairs</span>", page);
        Assert.Contains("<b>99.55%</b> confirmation<br><span class=\"dim\">60 pairs</span>", page);
        Assert.Contains("<b>95%</b> calibration<br><span class=\"dim\">20 pairs</span>", page);
        Assert.True(model.Trials.Single(t => t.Trial == 1).IsScreenedWinner);
    }

    [Fact]
    public void Minimizing_trials_become_what_each_flag_is_worth_seen_from_the_set_with_it()
    {
        var winner = Measured(1, TrialPhase.Screen, ["-funroll-loops", "-fipa-pta"], Verdict(1.2, 1.1, 1.3, 0.99, SpeedupDecision.Faster), race: 1);
        // Without -funroll-loops the set is slower: 1/0.8 = 1.25x is what the flag is worth; it stays.
        var withoutUnroll = Measured(2, TrialPhase.Minimize, ["-fipa-pta"], Verdict(0.8, 0.75, 0.85, 0.99, SpeedupDecision.Slower)) with { ComparedWith = ["-funroll-loops", "-fipa-pta"] };
        // Without -fipa-pta nothing is lost: it goes.
        var withoutIpa = Measured(3, TrialPhase.Minimize, ["-funroll-loops"], Verdict(1.0, 0.97, 1.03, 0.99, SpeedupDecision.NotFaster)) with { ComparedWith = ["-funroll-loops", "-fipa-pta"] };
        var model = Model(winner, withoutUnroll, withoutIpa);

        var unroll = model.Attribution.Single(a => a.Flag == "-funroll-loops");
        Assert.True(unroll.Kept);
        Assert.Equal(1.25, unroll.Worth!.Estimate, 6);
        Assert.Equal(1 / 0.85, unroll.Worth.Low, 6);
        Assert.Equal(1 / 0.75, unroll.Worth.High, 6);
        Assert.False(model.Attribution.Single(a => a.Flag == "-fipa-pta").Kept);
        Assert.Contains("the set -funroll-loops -fipa-pta", model.Trials.Single(t => t.Trial == 2).Reference);
    }

    [Fact]
    public void Best_so_far_follows_the_winner_pick_confidently_faster_with_the_best_lower_bound()
    {
        var model = Model(
            Measured(1, TrialPhase.Screen, ["-fa"], Verdict(1.30, 0.90, 1.70, 0.99, SpeedupDecision.Inconclusive), race: 1),
            Measured(2, TrialPhase.Screen, ["-fb"], Verdict(1.10, 1.05, 1.15, 0.99, SpeedupDecision.Faster), race: 1),
            Measured(3, TrialPhase.Screen, ["-fc"], Verdict(1.20, 1.02, 1.40, 0.99, SpeedupDecision.Faster), race: 2),
            Measured(4, TrialPhase.Screen, ["-fd"], Verdict(1.15, 1.08, 1.22, 0.99, SpeedupDecision.Faster), race: 2));

        Assert.Equal([null, 2, 2, 4], model.Progress.Select(p => p.BestTrial));
        Assert.Equal([1.30, 1.10, 1.20, 1.15], model.Progress.Select(p => p.Estimate!.Value));
        Assert.Equal([1, 1, 2, 2], model.Trials.Where(t => t.Stage == TrialStage.Screening).Select(t => t.Race!.Value));
    }

    [Fact]
    public void Pair_ratios_are_each_pairs_baseline_over_candidate()
    {
        var model = Model(Measured(1, TrialPhase.Confirm, ["-funroll-loops"], Verdict(1.9, 1.5, 2.1, 0.95, SpeedupDecision.Faster, 3)) with { Confirms = 1 });

        var kernel = Assert.Single(model.Benchmarks);
        Assert.Equal([2.0, 2.0, 1.5], kernel.WinnerRatios);
        Assert.Equal([2.0, 2.0, 1.5], kernel.CalibrationRatios);
        Assert.Equal(0.95, kernel.Winner!.Confidence);
    }
}
