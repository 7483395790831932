using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Processes;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>A plain build: configure the CMake project with the pinned autopass.cmake and build it.</summary>
public static class BuildCommand
{
    public static async Task<int> RunAsync(TuningRequest request, string? buildDir, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(request.SourceDir, "CMakeLists.txt")))
            throw new AutoPassException(DiagnosticCode.SourceDirMissing, $"'{request.SourceDir}' has no CMakeLists.txt.",
                "Set AutoPassCMakeSourceDir to the directory of the project's top-level CMakeLists.txt.");
        string cmake = CMakeBuilder.CMakeExecutable;
        buildDir ??= Path.Combine(request.IntermediateDir, "build");
        string pinned = Path.Combine(request.OutputDir, PinnedFiles.CMakeName);
        var configure = new List<string> { "-S", request.SourceDir, "-B", buildDir, "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON" };
        if (File.Exists(pinned))
        {
            configure.Add("-DCMAKE_PROJECT_INCLUDE=" + pinned);
            sink.Info($"building {request.SourceDir} with the pinned flags ({pinned})");
        }
        else
        {
            // An empty include keeps a build tree that was configured with flags from keeping them.
            configure.Add("-DCMAKE_PROJECT_INCLUDE=");
            sink.Warning(DiagnosticCode.NothingPinned, $"No pinned flags at {pinned}; building with the project's own flags. Run a tuning session with -p:AutoPassTune=true to pin some.");
        }
        if (request.Generator is { } g && !File.Exists(Path.Combine(buildDir, "CMakeCache.txt"))) configure.AddRange(["-G", g]);
        if (request.CCompiler is { } cc) configure.Add("-DCMAKE_C_COMPILER=" + cc);
        if (request.CxxCompiler is { } cxx) configure.Add("-DCMAKE_CXX_COMPILER=" + cxx);

        var result = await ExternalTool.RunAsync(cmake, configure, timeout: TimeSpan.FromMinutes(10), cancellationToken: ct);
        if (!result.Succeeded)
            throw new AutoPassException(DiagnosticCode.ConfigureFailed, "CMake could not configure the project: " + Tail(result.CombinedOutput),
                $"Fix the CMake project; the build tree is {buildDir}.");
        result = await ExternalTool.RunAsync(cmake, ["--build", buildDir, "--parallel", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromHours(2), cancellationToken: ct);
        if (!result.Succeeded)
            throw new AutoPassException(DiagnosticCode.BaselineBuildFailed, "The build failed: " + Tail(result.CombinedOutput),
                $"Fix the build errors; the build tree is {buildDir}.");
        sink.Info($"built {buildDir}");
        return 0;
    }

    private static string Tail(string log) =>
        string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(8));
}
