using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>A plain build: check the pinned autopass.cmake against the lock file, then configure the CMake project with it and build it.</summary>
internal static class BuildCommand
{
    public static async Task<int> RunAsync(TuningRequest request, string? buildDir, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(request.SourceDir, "CMakeLists.txt")))
            throw new AutoPassException(DiagnosticCode.SourceDirMissing, $"'{request.SourceDir}' has no CMakeLists.txt.",
                "Set AutoPassCMakeSourceDir to the directory of the project's top-level CMakeLists.txt.");
        buildDir ??= ArtifactPaths.For(request).PinnedBuild;
        string pinned = Path.Combine(request.OutputDir, PinnedFiles.CMakeName);
        var settings = SessionSetup.CMakeSettingsFor(request);
        // Before CMake runs the file (AutoPassEnabled=false loads it too): it must be what the lock file renders.
        if (File.Exists(pinned) && CheckPinnedFiles(request, sink).ClassName is { } machineClass)
        {
            // Named always, the default too: the configure never rests on a class an earlier configure left in the cache.
            settings = settings with { ExtraArgs = [.. settings.ExtraArgs, $"-D{PinnedMachineClasses.CMakeVariable}={machineClass}"] };
            sink.Info($"the pinned set of machine class {machineClass}" + (string.IsNullOrEmpty(request.MachineClass) ? " (the default)" : ""));
        }
        else if (!File.Exists(pinned) && !string.IsNullOrEmpty(request.MachineClass))
            throw new AutoPassException(DiagnosticCode.MachineClassUnknown, $"{PinnedMachineClasses.MSBuildProperty} is '{request.MachineClass}', but nothing is pinned at {pinned}.",
                $"Leave {PinnedMachineClasses.MSBuildProperty} unset, or pin a set for '{request.MachineClass}' first.");
        if (File.Exists(pinned) && !request.Enabled)
            sink.Info($"building {request.SourceDir} without the pinned flags (AutoPassEnabled=false: {pinned} is loaded with AUTOPASS_DISABLE=ON)");
        else if (File.Exists(pinned))
            sink.Info($"building {request.SourceDir} ({settings.MeasuredBuildType}) with the pinned flags ({pinned})");
        else
            sink.Warning(DiagnosticCode.NothingPinned, $"No pinned flags at {pinned}; building with the project's own flags. Run a tuning session (dotnet build -p:AutoPassTune=true, or autopass tune) to pin some.");

        // The same builder the candidates were built with; an empty include keeps a tree configured with flags from keeping them.
        // A whole project's build, not one candidate's: it may take as long as a team's release build.
        var builder = new CMakeBuilder(settings) { BuildTimeout = TimeSpan.FromHours(2) };
        var outcome = await builder.ConfigureAndBuildAsync(buildDir, File.Exists(pinned) ? pinned : "", targets: [], ct);
        if (outcome.Failure is { Kind: BuildFailureKind.Configure or BuildFailureKind.CompilerMissing })
            throw new AutoPassException(DiagnosticCode.ConfigureFailed, "CMake could not configure the project: " + Tail(outcome.Log),
                $"Fix the CMake project; the build tree is {buildDir}.");
        if (!outcome.Succeeded)
            throw new AutoPassException(DiagnosticCode.BaselineBuildFailed, "The build failed: " + Tail(outcome.Log),
                $"Fix the build errors; the build tree is {buildDir}.");
        sink.Info($"built {buildDir}");
        return 0;
    }

    /// <summary>
    /// The check verify makes before it configures anything: the lock file is there and valid, its flags pass the policy
    /// gate, and autopass.cmake and autopass.props are exactly what it renders. The first finding fails the build.
    /// </summary>
    /// <returns>The set the build's machine class chooses.</returns>
    private static PinnedSet CheckPinnedFiles(TuningRequest request, ConsoleDiagnosticSink sink)
    {
        string restore = $"Restore the autopass/ folder from version control, or retune (dotnet build -p:AutoPassTune=true, or autopass tune) and check in all three files; AutoPassEnabled=false does not help, as CMake still loads {PinnedFiles.CMakeName}.";
        return PinnedLockFile.LoadChecked(request, restore, sink, rendered: true).Set;
    }

    private static string Tail(string log) =>
        string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(8));
}
