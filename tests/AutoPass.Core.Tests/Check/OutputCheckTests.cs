using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Check;

/// <summary>A candidate's output checked against the baseline's by bytes, and by a verify command that reads it all.</summary>
[Trait("Category", "Real")]
public sealed class OutputCheckTests : IDisposable
{
    private readonly UnrulyProject _project = new();

    public void Dispose() => _project.Dispose();

    private async Task<TrialEvaluator> EvaluatorFor(BenchmarkSpec benchmark)
    {
        var request = _project.Request(benchmark) with { AllowUnsafeMath = true };
        var builder = new CMakeBuilder(new CMakeSettings(request.SourceDir));
        var runner = new ProgramRunner(pinToCore: true);
        var baseline = await new BaselineSetup(request, builder, runner, new RecordingDiagnosticSink()).PrepareAsync(CancellationToken.None);
        var compiler = await CompilerProbe.IdentifyAsync(baseline.Build.CCompilerPath!);
        return new TrialEvaluator(request, builder, baseline, new FlagPolicy(new PolicyOptions(AllowUnsafeMath: true), null), compiler, runner,
            new StatisticsOptions(MaxPairs: 6, Resamples: 200));
    }

    [Fact]
    public async Task Outputs_that_differ_only_in_bytes_that_are_not_UTF8_are_different()
    {
        var evaluator = await EvaluatorFor(new BenchmarkSpec("rawbytes", []));

        // The baseline prints "result \xff\n", the -ffast-math build "result \xfe\n": as decoded text both are "result \uFFFD".
        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-ffast-math"], "test"), TrialPhase.Screen, 1, CancellationToken.None);

        Assert.Equal(BuildStatus.Ok, trial.BuildStatus);
        Assert.Equal(OutputCheckStatus.Differs, trial.OutputCheck);
        Assert.Contains("they differ at byte 7: 0xfe against 0xff", trial.OutputCheckMessage);
        Assert.Null(trial.Verdict);
    }

    [Fact]
    public async Task A_verify_command_that_echoes_a_large_output_back_does_not_deadlock()
    {
        // cat writes its input back: with more than a pipe buffer of it, cat stops reading until its output is read.
        var benchmark = new BenchmarkSpec("flood", ["1048576"], VerifyCommand: ["cat"]);

        // The bound only turns a deadlock into a failure.
        var evaluator = await EvaluatorFor(benchmark).WaitAsync(TimeSpan.FromMinutes(2));
        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops"], "test"), TrialPhase.Screen, 1, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(OutputCheckStatus.Equal, trial.OutputCheck);
        Assert.NotNull(trial.Verdict);
        // The verify command was given all the bytes, from the copy the check run kept.
        string copy = OutputCheck.StdoutCopyPath(benchmark, _project.Request(benchmark).IntermediateDir)!;
        Assert.Equal(1 << 20, new FileInfo(copy).Length);
    }

    [Fact]
    public async Task A_verify_command_decides_on_the_exact_bytes()
    {
        // cmp fails unless its input equals, byte for byte, 1 MiB of flood's letters: it gets what the program printed.
        string expected = Path.Combine(_project.Directory, "expected.out");
        var flood = await _project.BuildAsync("flood");
        var reference = await new ProgramRunner(pinToCore: false).RunAsync(flood, ["1048576"], _project.Directory, 0, TimeSpan.FromMinutes(1), CancellationToken.None, expected);
        Assert.True(reference.Succeeded, reference.FailureText);
        var benchmark = new BenchmarkSpec("flood", ["1048576"], VerifyCommand: ["cmp", "-", expected]);
        var evaluator = await EvaluatorFor(benchmark);

        var trial = await evaluator.EvaluateAsync(1, new Candidate(["-funroll-loops"], "test"), TrialPhase.Screen, 1, CancellationToken.None);

        Assert.Equal(OutputCheckStatus.Equal, trial.OutputCheck);
    }
}
