using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Pinning;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>What every step of a session works with, resolved once from the request.</summary>
/// <param name="Statistics">The statistics as asked for; the calibration may raise the minimum effect.</param>
internal sealed record SessionSetup(TuningRequest Request, ArtifactPaths Paths, StatisticsOptions Statistics, CMakeBuilder Builder, ProgramRunner Runner, IDiagnosticSink Sink)
{
    /// <summary>The first step: the request is valid, the output directory writable, the tools found.</summary>
    public static SessionSetup Validate(TuningRequest request, IDiagnosticSink sink)
    {
        CheckRequest(request);
        var paths = ArtifactPaths.For(request);
        PinnedFiles.EnsureWritable(paths.OutputDir);
        // Before the session, not when it pins: a class name that cannot be one, or no class where the folder pins per class.
        // A worker without AutoPassMachineClass pins for its machine's class, which is known once its compiler is.
        if (!(request.Worker || request.Conclude) || !string.IsNullOrEmpty(request.MachineClass))
            PinnedMachineClasses.CheckCanPin(paths.OutputDir, string.IsNullOrEmpty(request.MachineClass) ? null : request.MachineClass);
        Directory.CreateDirectory(paths.IntermediateDir);

        var statistics = new StatisticsOptions(MinEffect: request.MinEffect, Confidence: request.Confidence, Seed: request.Seed);
        var builder = new CMakeBuilder(CMakeSettingsFor(request) with { Generator = SessionGenerator(request) });
        InstructionCounter? counter = null;
        if (request.Objective == MeasurementObjective.Instructions)
        {
            counter = InstructionCounter.Find();
            // Counts repeat almost exactly: a few pairs decide.
            statistics = statistics with { FirstLook = 3, LookEvery = 1, MaxPairs = 6 };
            sink.Warning(DiagnosticCode.ProxyObjective,
                $"The objective is {InstructionCounter.ProxyLabel}: it misses cache, branch-prediction and layout effects, so a gain in instructions may not be a gain in time. Confirm with AutoPassObjective=time before relying on it.");
        }
        return new SessionSetup(request, paths, statistics, builder, new ProgramRunner(request.PinToCore, counter), sink);
    }

    /// <summary>
    /// The checks of a request that builds and measures (a session, a recheck), before any work: <see cref="RequestValidation"/>,
    /// and a configure preset's cache variables, whose flags reach every compiler run as AutoPassCMakeArgs' do, through the same gate.
    /// </summary>
    public static void CheckRequest(TuningRequest request)
    {
        RequestValidation.Validate(request);
        if (request.CMakePreset is { } preset && CMakePresets.CacheVariables(request.SourceDir, preset) is { } variables)
            foreach (var (name, value) in variables)
                RequestValidation.CheckCMakeVariable($"The CMake preset '{preset}'", name, value);
    }

    /// <summary>
    /// The generator of the session's build trees: the one asked for; else, for hot-file tuning, Ninja when it is on PATH
    /// (and neither a preset nor CMAKE_GENERATOR chooses), because Ninja recompiles exactly the objects whose command changed,
    /// where Makefiles rebuild a whole target when one file's flags change.
    /// </summary>
    internal static string? SessionGenerator(TuningRequest request) =>
        request.Generator is { Length: > 0 } g ? g
        : request.TuneScope == TuneScope.Hot && request.CMakePreset is not { Length: > 0 } && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CMAKE_GENERATOR"))
          && Processes.ExternalTool.FindOnPath("ninja") is not null ? "Ninja"
        : null;

    /// <summary>How the request's project is configured; candidates and the plain build (autopass build) both use it.</summary>
    public static CMakeSettings CMakeSettingsFor(TuningRequest request) =>
        new(request.SourceDir, request.Generator, request.CCompiler, request.CxxCompiler)
        {
            Preset = request.CMakePreset,
            ExtraArgs = request.CMakeArgs,
            BuildTypes = request.BuildTypes,
            FlagsDisabled = !request.Enabled,
        };
}
