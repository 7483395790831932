using AutoPass.Core.Build;
using AutoPass.Core.Processes;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>The compiler verify checks the pinned flags against, and how it was found (for the log).</summary>
internal sealed record BuildCompilerChoice(string Path, string Reason);

/// <summary>
/// Which compiler the project's builds use, for verify. CMake decides it (AutoPassCCompiler, CC, a toolchain file, a
/// preset), so CMake is asked: its choice for the pinned build tree when that tree was configured for this same request;
/// else, when a preset or configure arguments could choose one (a toolchain file, CMAKE_TOOLCHAIN_FILE in the
/// environment), a configure in a scratch tree; else the compiler CMake would take by default.
/// </summary>
internal static class BuildCompiler
{
    public static async Task<BuildCompilerChoice> FindAsync(TuningRequest request, string pinnedCompilerId, CancellationToken ct)
    {
        var builder = new CMakeBuilder(SessionSetup.CMakeSettingsFor(request));
        string pinnedBuild = ArtifactPaths.For(request).PinnedBuild;
        if (builder.CompilerOfTree(pinnedBuild) is { } configured)
            return new BuildCompilerChoice(configured, $"the compiler CMake configured {pinnedBuild} with");

        bool configureMayChoose = request.CMakePreset is { Length: > 0 } || request.CMakeArgs.Count > 0
            || Environment.GetEnvironmentVariable("CMAKE_TOOLCHAIN_FILE") is { Length: > 0 };
        if (configureMayChoose && File.Exists(Path.Combine(request.SourceDir, "CMakeLists.txt")))
        {
            string scratch = Path.Combine(request.IntermediateDir, "verify-configure");
            if (await builder.ChosenCompilerAsync(scratch, ct) is { } chosen)
                return new BuildCompilerChoice(chosen, "the compiler CMake chooses with the project's preset and configure arguments");
        }

        var (named, reason) = request.CCompiler is { } asked ? (asked, "AutoPassCCompiler")
            : Environment.GetEnvironmentVariable("CC") is { } cc ? (cc, "CC")
            : (pinnedCompilerId == "clang" ? "clang" : "cc", "the default compiler on PATH");
        return new BuildCompilerChoice(ExternalTool.FindOnPath(named) ?? named, reason);
    }
}
