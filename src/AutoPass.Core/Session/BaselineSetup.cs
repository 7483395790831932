using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Processes;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// Builds the baseline, runs each benchmark once for its reference output, and calibrates the machine by
/// timing the baseline against a copy of itself (an A/A test): what it shows is noise, nothing else.
/// </summary>
internal sealed class BaselineSetup(TuningRequest request, CMakeBuilder builder, ProgramRunner runner, IDiagnosticSink sink)
{
    /// <summary>Generous limit for the baseline's own first run, unless the benchmark sets one.</summary>
    public static readonly TimeSpan BaselineRunLimit = TimeSpan.FromMinutes(10);

    public async Task<BaselineReference> PrepareAsync(CancellationToken ct)
    {
        var targets = request.Benchmarks.Select(b => b.Target).Distinct().ToList();
        var build = await builder.BuildAsync(request.BaselineFlags, Path.Combine(request.IntermediateDir, "builds", "baseline"), targets,
            $"AutoPass baseline: {string.Join(' ', request.BaselineFlags)}", ct);
        if (!build.Succeeded) throw BaselineBuildError(build);

        var outputs = new Dictionary<string, CapturedOutput>();
        var seconds = new Dictionary<string, double>();
        var files = new Dictionary<string, IReadOnlyDictionary<string, OutputFileDigest>>();
        foreach (var benchmark in request.Benchmarks)
        {
            var limit = benchmark.TimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : BaselineRunLimit;
            OutputCheck.ClearOutputFiles(benchmark, request.SourceDir);
            var run = await runner.RunAsync(build.Executables[benchmark.Target], benchmark.Arguments, request.SourceDir, 0, limit, ct, OutputCheck.StdoutCopyPath(benchmark, request.IntermediateDir));
            if (!run.Succeeded) throw BaselineRunError(benchmark, run, limit);
            outputs[benchmark.DisplayName] = run.StandardOutput;
            try { files[benchmark.DisplayName] = OutputCheck.ReadOutputFiles(benchmark, request.SourceDir); }
            catch (FileNotFoundException e)
            {
                throw new AutoPassException(DiagnosticCode.BenchmarkFailed, e.Message, "Fix the OutputFiles metadata of the benchmark, or make the program write the file.");
            }
            if (benchmark.VerifyCommand is { Count: > 0 } && await OutputCheck.CompareAsync(benchmark, run, request.SourceDir, new BaselineReference(build, outputs, seconds, ""), ct) is { } failed)
                throw new AutoPassException(DiagnosticCode.BenchmarkFailed, $"The baseline itself fails the benchmark's verify command: {failed.Message}",
                    "Fix the Verify metadata of the benchmark so that it passes for the baseline's output.");
            seconds[benchmark.DisplayName] = run.WallSeconds;
            sink.Info($"baseline {benchmark.DisplayName}: {run.WallSeconds * 1000:0} ms");
            if (run.WallSeconds < 0.05)
                sink.Warning(DiagnosticCode.BenchmarkTooShort,
                    $"{benchmark.DisplayName} runs {run.WallSeconds * 1000:0.#} ms; runs under 50 ms are dominated by process start-up and timer noise. Give it a larger input through its Arguments (AutoPassNoNoiseWarnings=true silences this).");
        }
        return new BaselineReference(build, outputs, seconds, ExecutableFingerprint.Of(build.Executables), files);
    }

    /// <summary>Times the baseline against itself reached through another path; returns the calibration trial.</summary>
    public async Task<TrialRecord> CalibrateAsync(BaselineReference baseline, StatisticsOptions statistics, CancellationToken ct)
    {
        var subjects = request.Benchmarks.Select(b => new CalibrationSubject(b, baseline.Build.Executables[b.Target], baseline.CandidateTimeout(b))).ToList();
        MeasurementResult result;
        try
        {
            result = await AaCalibration.MeasureAsync(runner, subjects, Path.Combine(request.IntermediateDir, "builds", "baseline-copy"), request.SourceDir, statistics, request.Seed, ct);
        }
        catch (BenchmarkRunFailedException failure)
        {
            // A run of the baseline that fails or times out here (a busy machine can slow one several times) is no bug of AutoPass.
            throw new AutoPassException(DiagnosticCode.BenchmarkFailed, $"The baseline failed during the A/A calibration: {failure.Message}.",
                "A benchmark must run cleanly every time at the baseline flags; check that it does not depend on state a previous run left behind, and on a busy machine give it a larger Timeout (AutoPassBenchmark metadata).");
        }
        sink.Info($"calibration (baseline against itself): {result.Summary}");
        return new TrialRecord
        {
            Trial = 0, Phase = TrialPhase.Calibration, Flags = [], Origin = "calibration", Rationale = "baseline against an identical copy of itself",
            BuildStatus = BuildStatus.Ok, BinaryHash = baseline.Fingerprint, OutputCheck = OutputCheckStatus.Equal, Benchmarks = result.Benchmarks, Verdict = result.Summary,
        };
    }

    private static AutoPassException BaselineBuildError(BuildOutcome build)
    {
        string tail = TrialEvaluator.LastLines(build.Log, 8);
        return build.Failure!.Kind switch
        {
            BuildFailureKind.CompilerMissing => new AutoPassException(DiagnosticCode.CompilerMissing,
                $"CMake found no working C/C++ compiler: {tail}", "Install gcc or clang, or set AutoPassCCompiler / the CC environment variable."),
            BuildFailureKind.TargetMissing or BuildFailureKind.TargetNotExecutable => new AutoPassException(DiagnosticCode.BenchmarkTargetMissing,
                build.Failure.Message + ".", "Name an executable target (add_executable) of the CMake project in each AutoPassBenchmark item."),
            BuildFailureKind.TimedOut => new AutoPassException(DiagnosticCode.BuildTimedOut,
                $"Building the baseline stopped: {build.Failure.Message} (last output: {tail}).",
                "Find the step that hangs (a custom command waiting for input, a download) in the build tree " + build.BuildDirectory + " and make it finish; a build that really takes this long is too slow to rebuild for every candidate."),
            BuildFailureKind.Configure => new AutoPassException(DiagnosticCode.ConfigureFailed,
                $"CMake could not configure the project: {tail}", "Fix the CMake project so that 'cmake -S <dir> -B <build>' succeeds; the full log is in " + build.BuildDirectory + "."),
            _ => new AutoPassException(DiagnosticCode.BaselineBuildFailed,
                $"The baseline does not build: {tail}", "Fix the build errors (or the baseline flags, AutoPassBaselineFlags) so that the project builds in Release; the build tree is " + build.BuildDirectory + "."),
        };
    }

    private static AutoPassException BaselineRunError(BenchmarkSpec benchmark, RunSample run, TimeSpan limit)
    {
        if (run.TimedOut)
            return new AutoPassException(DiagnosticCode.BenchmarkTimedOut, $"The baseline of {benchmark.DisplayName} did not finish within {limit.TotalSeconds:0.#} s.",
                "Make it finish (it may wait for input or loop forever), give it a smaller input through Arguments, or raise its Timeout metadata.");
        if (run.StandardOutput.OverLimit)
            return new AutoPassException(DiagnosticCode.BenchmarkOutputTooLarge, $"The baseline of {benchmark.DisplayName} printed more than {ProgramRunner.MaxStdoutBytes >> 30} GiB to stdout; AutoPass stopped it there.",
                "Make it print a digest of its results (a checksum) instead of the results themselves, or write them to a file named in its OutputFiles metadata.");
        if (run.OutputHeldOpen)
            return new AutoPassException(DiagnosticCode.BenchmarkLeftOutputOpen, $"The baseline of {benchmark.DisplayName} exited, but a process it started left its process group and kept its stdout or stderr open.",
                "Make the benchmark wait for (or stop) the processes it starts before it exits, and not detach them (setsid, daemon).");
        if (run.Crashed)
            return new AutoPassException(DiagnosticCode.BenchmarkCrashed, $"The baseline of {benchmark.DisplayName} crashed (signal {run.Signal}).",
                "Fix the crash; a benchmark must run cleanly at the baseline flags before it can be tuned.");
        return new AutoPassException(DiagnosticCode.BenchmarkFailed, $"The baseline of {benchmark.DisplayName} exited with code {run.ExitCode}{(string.IsNullOrWhiteSpace(run.StandardError) ? "" : ": " + run.StandardError.Trim().Split('\n')[^1])}.",
            "A benchmark must exit with code 0; check its Arguments and that it runs from the source directory.");
    }
}
