using AutoPass.Core.Check;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Pinning;
using AutoPass.Core.Reporting;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Reporting;

/// <summary>A confirmation whose effect moved: its regimes in the lock file (old locks still read) and on the report's time series.</summary>
public sealed class ConfirmationRegimesReportTests
{
    private static readonly ConfirmationRegime[] Regimes =
    [
        new(1, 20, 1.37, 1.35, 1.39, 0.52, 0.50, 0.38, 0.37, Claimed: false),
        new(21, 60, 1.05, 1.04, 1.06, 0.33, 0.32, 0.315, 0.31, Claimed: true),
    ];

    private static TrialRecord Confirmation()
    {
        var verdict = new SpeedupVerdict(1.05, 1.04, 1.06, 0.95, SpeedupDecision.Faster, 40) { MinEffect = 0.01 };
        var first = Enumerable.Range(0, 60).Select(i => i < 20).ToList();
        return new TrialRecord
        {
            Trial = 9, Phase = TrialPhase.Confirm, Flags = ["-funroll-loops"], Origin = "confirm", BuildStatus = BuildStatus.Ok, OutputCheck = OutputCheckStatus.Equal,
            Verdict = verdict, Confirms = 4, Regimes = Regimes, RegimeNote = "from pairs 1-20 (1.370x) to pairs 21-60 (1.050x), the baseline's wall time fell 37%",
            Benchmarks = [new BenchmarkMeasurement
            {
                Benchmark = "matmul", Verdict = verdict,
                BaselineSeconds = first.Select(f => f ? 0.52 : 0.33).ToList(), CandidateSeconds = first.Select(f => f ? 0.38 : 0.315).ToList(),
            }],
        };
    }

    private static LockFile Lock(LockSpeedup speedup) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(["-O3"]),
        Flags = ["-funroll-loops"],
        Outcome = "improved",
        Reason = "because",
        Policy = new LockPolicy(false, false),
        Speedup = speedup,
        Benchmarks = [],
        Trials = 3,
    };

    [Fact]
    public void The_lock_file_keeps_the_regimes_and_reads_locks_written_before_them()
    {
        var regimes = Regimes.Select(r => new LockRegime(r.FirstPair, r.LastPair, r.Speedup, r.Low, r.High, r.BaselineSeconds, r.BaselineCpuSeconds,
            r.CandidateSeconds, r.CandidateCpuSeconds, r.Claimed)).ToList();
        string json = Lock(new LockSpeedup(1.05, 1.04, 1.06, 0.95, 40, regimes, "the machine was busy")).ToJson();
        Assert.Contains("\"regimes\"", json);
        Assert.Contains("\"baselineMedianSeconds\": 0.52", json);
        var read = LockFile.Parse(json).Speedup!;
        Assert.Equal(regimes, read.Regimes);
        Assert.Equal("the machine was busy", read.RegimeNote);

        string old = Lock(new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40)).ToJson();
        Assert.DoesNotContain("regimes", old);
        Assert.Null(LockFile.Parse(old).Speedup!.Regimes);
    }

    [Fact]
    public void The_report_plots_the_confirmation_over_time_with_its_regimes_marked()
    {
        var model = ReportModelBuilder.Build(ReportSource.FromLines([Confirmation()], lockFile: null));
        var series = model.Confirmation!;
        Assert.Equal(60, series.Ratios.Count);
        Assert.InRange(series.Ratios[0], 1.36, 1.37);
        Assert.InRange(series.Ratios[59], 1.04, 1.05);
        Assert.Equal([false, true], series.Regimes.Select(r => r.Claimed));

        string page = HtmlReport.Render(model);
        Assert.Contains("The confirmation over time (trial 9)", page);
        Assert.Contains("The effect moved during the confirmation (AP2030): from pairs 1-20", page);
        Assert.Contains("pairs 21-60: 1.050x [1.040, 1.060], baseline 0.33 s (claimed)", page);
        Assert.Contains("class=\"regime-band regime claimed\"", page);
        Assert.Contains("chart baseline-over-time", page);
    }

    [Fact]
    public void A_confirmation_that_held_still_is_drawn_as_one_regime()
    {
        var steady = Confirmation() with { Regimes = null, RegimeNote = null };
        string page = HtmlReport.Render(ReportModelBuilder.Build(ReportSource.FromLines([steady], lockFile: null)));
        Assert.Contains("The effect held still over the confirmation", page);
        Assert.DoesNotContain("class=\"regime-band", page);
    }
}
