using AutoPass.Core.Build;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Search;

/// <summary>One candidate from proposal to verdict, with the real gcc and CMake on small fixture projects.</summary>
public sealed class TrialEvaluatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<TrialEvaluator> EvaluatorFor(string fixture, string target, PolicyOptions policy, bool withCatalog = true)
    {
        var request = new TuningRequest
        {
            SourceDir = CProjectFixtures.Path(fixture), OutputDir = Path.Combine(_dir, "pinned"), IntermediateDir = Path.Combine(_dir, "obj"),
            Benchmarks = [new BenchmarkSpec(target, [])], AllowUnsafeMath = policy.AllowUnsafeMath,
        };
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir));
        var runner = new ProgramRunner(pinToCore: true);
        var baseline = await new BaselineSetup(request, builder, runner, new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None);
        var compiler = await CompilerProbe.IdentifyAsync(baseline.Build.CCompilerPath!);
        var catalog = withCatalog ? await CompilerProbe.CatalogAsync(compiler, request.BaselineFlags) : null;
        return new TrialEvaluator(request, builder, baseline, new FlagPolicy(policy, catalog), compiler, runner, new StatisticsOptions(MaxPairs: 12, Resamples: 500));
    }

    [Fact]
    public async Task A_candidate_whose_output_differs_from_the_baseline_is_rejected_untimed()
    {
        var evaluator = await EvaluatorFor("flagsensitive", "fpsum", new PolicyOptions(AllowUnsafeMath: true));

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-ffast-math"], "test"), "screen", 1, CancellationToken.None);

        Assert.Equal("ok", trial.BuildStatus);
        Assert.Equal("differs", trial.OutputCheck);
        Assert.Contains("the baseline printed 'checksum 556.34633218705062'", trial.OutputCheckMessage);
        Assert.Null(trial.Verdict);
        Assert.Empty(trial.Benchmarks);
    }

    [Fact]
    public async Task A_forbidden_flag_is_rejected_with_its_reason_and_never_built()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops", "-fplugin=/tmp/evil.so"], "test"), "screen", 1, CancellationToken.None);

        Assert.Equal("rejected", trial.BuildStatus);
        Assert.StartsWith("policy: -fplugin=/tmp/evil.so: ", trial.BuildMessage);
        Assert.False(Directory.Exists(evaluator.BuildDirectoryFor(trial.Flags)));
    }

    [Fact]
    public async Task A_flag_the_compiler_does_not_know_is_rejected_by_a_probe_compile_before_any_build()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions(), withCatalog: false);

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops", "-fsuper-vectorize-everything"], "test"), "screen", 1, CancellationToken.None);

        Assert.Equal("rejected", trial.BuildStatus);
        Assert.StartsWith("gcc rejects: -fsuper-vectorize-everything (", trial.BuildMessage);
        Assert.False(Directory.Exists(evaluator.BuildDirectoryFor(trial.Flags)));
    }

    [Fact]
    public async Task Identical_binaries_reuse_the_earlier_measurement_instead_of_timing_again()
    {
        var evaluator = await EvaluatorFor("faulty", "ok", new PolicyOptions());

        var first = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops"], "test"), "screen", 1, CancellationToken.None);
        // Flags that do not change this program's code: same binary as trial 1.
        var second = await evaluator.EvaluateAsync(2, new Candidate(["-funroll-loops", "-fno-semantic-interposition"], "test"), "screen", 2, CancellationToken.None);

        Assert.Equal("ok", first.BuildStatus);
        Assert.NotNull(first.Verdict);
        Assert.Equal(first.BinaryHash, second.BinaryHash);
        Assert.Equal("reused", second.BuildStatus);
        Assert.Equal(1, second.ReusedFrom);
        Assert.Same(first.Benchmarks, second.Benchmarks);
        Assert.Equal(1, evaluator.ReusedMeasurements);
    }
}
