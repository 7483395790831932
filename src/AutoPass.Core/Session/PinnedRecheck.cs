using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;
using AutoPass.Core.Racing;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// autopass recheck: builds the pinned set (autopass.cmake, as a plain build applies it) and the baseline (the lock's
/// baseline flags) afresh in scratch trees, then measures them in interleaved pairs the way a session's confirmation
/// does (a race of one with fixed pairs, whose first round checks the output), and judges the pinned claim
/// (<see cref="PinnedClaimCheck"/>). The user's build tree is never touched.
/// </summary>
internal sealed class PinnedRecheck(TuningRequest request, LockFile lockFile, PinnedToolchain pinned, IDiagnosticSink sink)
{
    /// <summary>Where the recheck builds and keeps its scratch files, under the intermediate directory.</summary>
    public static string ScratchDir(TuningRequest request) => Path.Combine(request.IntermediateDir, "recheck");

    public async Task<PinnedClaimCheck> RunAsync(CancellationToken ct)
    {
        string pinnedCMake = Path.Combine(request.OutputDir, PinnedFiles.CMakeName);
        string scratch = ScratchDir(request);
        // Built the way the pinned files apply: the lock's build types, the lock's baseline under the pinned flags, and
        // the flags on (AutoPassEnabled=false would leave them out and measure the baseline against itself).
        var recheckRequest = request with { IntermediateDir = scratch, BaselineFlags = lockFile.Baseline.Flags, BuildTypes = lockFile.PinnedBuildTypes, Enabled = true };
        var builder = new CMakeBuilder(SessionSetup.CMakeSettingsFor(recheckRequest));
        var targets = request.Benchmarks.Select(b => b.Target).Distinct().ToList();

        // Fresh trees: after a compiler upgrade at the same path a kept tree would keep the old objects.
        string pinnedTree = Path.Combine(scratch, "builds", "pinned"), baselineTree = Path.Combine(scratch, "builds", "baseline");
        foreach (var tree in new[] { pinnedTree, baselineTree })
            if (Directory.Exists(tree)) Directory.Delete(tree, recursive: true);

        sink.Info($"building the pinned set ({pinnedCMake}) in {pinnedTree}");
        var pinnedBuild = await builder.ConfigureAndBuildAsync(pinnedTree, File.Exists(pinnedCMake) ? pinnedCMake : "", targets, ct);
        if (!pinnedBuild.Succeeded)
            throw new AutoPassException(pinnedBuild.Failure?.Kind is BuildFailureKind.Configure or BuildFailureKind.CompilerMissing ? DiagnosticCode.ConfigureFailed : DiagnosticCode.BaselineBuildFailed,
                $"The pinned set does not build: {pinnedBuild.Failure?.Message} ({TrialEvaluator.LastLines(pinnedBuild.Log, 8)}).",
                $"Fix the build (autopass build shows the same), or retune; the build tree is {pinnedTree}.");
        if (!PinnedClaimCheck.Claims(lockFile))
        {
            var nothing = PinnedClaimCheck.NothingClaimed(lockFile, request.MinEffect);
            sink.Info(nothing.SummaryLine());
            return nothing;
        }
        await CheckPinnedCompilerAsync(pinnedBuild, ct);

        sink.Info($"building the baseline ({string.Join(' ', lockFile.Baseline.Flags)}) in {baselineTree}");
        var baseline = await new BaselineSetup(recheckRequest, builder, new ProgramRunner(request.PinToCore), sink).PrepareAsync(ct);
        var statistics = new StatisticsOptions(MinEffect: request.MinEffect, Confidence: request.Confidence, Seed: request.Seed, MaxPairs: request.RecheckPairs);
        sink.Info($"measuring the pinned set against the baseline in {request.RecheckPairs} interleaved pairs per benchmark");
        RaceOutcome outcome;
        try
        {
            outcome = (await new RaceLoop(new ProgramRunner(request.PinToCore), request.Seed).RunAsync(request.Benchmarks, baseline.Build.Executables,
                [new RaceEntrant(pinnedBuild.Executables)], request.SourceDir, baseline.CandidateTimeout, RacePlan.ForConfirmation(statistics), () => false,
                new CheckRun(baseline, request.SourceDir, scratch), ct))[0];
        }
        catch (BenchmarkRunFailedException failure)
        {
            throw new AutoPassException(DiagnosticCode.BenchmarkFailed, $"The baseline failed during the recheck: {failure.Message}.",
                "A benchmark must run cleanly every time at the baseline flags; on a busy machine give it a larger Timeout (AutoPassBenchmark metadata).");
        }
        var check = outcome switch
        {
            RaceOutcome.Measured measured => PinnedClaimCheck.Judge(lockFile.Speedup!, measured.Result.Verdict, request.MinEffect),
            RaceOutcome.WrongOutput wrong => throw OutputDiffers($"the pinned build computes something other than the baseline: {wrong.Message}"),
            RaceOutcome.Failed failed => throw OutputDiffers($"a run of the pinned build failed: {failed.Failure.Message}"),
            _ => throw new InvalidOperationException($"A recheck's race of fixed pairs ended as {outcome}."),
        };
        foreach (var benchmark in check.Measured!.Benchmarks) sink.Detail($"{benchmark.Name}: {benchmark.Verdict}");
        return check;
    }

    /// <summary>
    /// The pinned files leave the flags out for another compiler, so measuring them would measure the baseline twice: a
    /// compiler outside the pinned range, or flags it no longer takes, stop the recheck as they fail verify.
    /// </summary>
    private async Task CheckPinnedCompilerAsync(BuildOutcome pinnedBuild, CancellationToken ct)
    {
        if (pinnedBuild.CCompilerPath is not { } path) return;
        var compiler = await CompilerProbe.IdentifyAsync(path, ct);
        var findings = await StalenessChecker.CheckAsync(pinned, compiler, ct);
        if (findings.FirstOrDefault(f => !f.Warning || f.Code == DiagnosticCode.PinnedSetForOtherCompiler) is { } stale)
            throw new AutoPassException(stale.Code, $"The pinned flags do not apply to the compiler of this build ({compiler.Id} {compiler.Version}), so there is no pinned claim to measure: {stale.Message}", stale.Fix);
    }

    private static AutoPassException OutputDiffers(string message) => new(DiagnosticCode.PinnedBuildOutputDiffers, $"Recheck: {message}.",
        "Retune (every candidate's output is checked), or pin the baseline until then; check that the benchmark's output does not depend on the time or the machine.");
}
