using System.Text.RegularExpressions;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Policy;

namespace AutoPass.Core.Workload;

/// <summary>Checks a request before any work starts, so bad input fails in seconds and changes nothing.</summary>
internal static partial class RequestValidation
{
    public static void Validate(TuningRequest request)
    {
        if (request.Benchmarks.Count == 0)
            throw new AutoPassException(DiagnosticCode.NoBenchmark, "No benchmark is named, so there is nothing to measure.",
                "Add <AutoPassBenchmark Include=\"<cmake target>\" Arguments=\"...\" /> items to the project, or with the autopass tool, --benchmark <cmake target>[:<arguments>].");
        if (!File.Exists(Path.Combine(request.SourceDir, "CMakeLists.txt")))
            throw new AutoPassException(DiagnosticCode.SourceDirMissing, $"'{request.SourceDir}' has no CMakeLists.txt.",
                "Set AutoPassCMakeSourceDir to the directory of the project's top-level CMakeLists.txt.");
        foreach (var b in request.Benchmarks.Where(b => string.IsNullOrWhiteSpace(b.Target)))
            throw new AutoPassException(DiagnosticCode.NoBenchmark, "A benchmark has an empty target name.", "Give each AutoPassBenchmark item the name of a CMake executable target.");
        TuningSettings.CheckRanges(request);
        foreach (var b in request.Benchmarks.Where(b => b.TimeoutSeconds is <= 0))
            throw Invalid($"Timeout of benchmark '{b.Target}'", b.TimeoutSeconds!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "seconds above 0");

        // The baseline reaches the compiler too, so it passes the same gate as every candidate.
        var policy = new FlagPolicy(new PolicyOptions(request.AllowUnsafeMath, request.AllowMachineSpecific));
        foreach (var flag in request.BaselineFlags)
        {
            var decision = policy.Evaluate(flag);
            if (!decision.Allowed)
                throw new AutoPassException(DiagnosticCode.ForbiddenBaselineFlag, $"The baseline flag '{flag}' is not allowed: {decision.Reason}.",
                    "Remove it from AutoPassBaselineFlags; the baseline may hold only optimization options.");
        }
        CheckCMakeArgs(request.CMakeArgs);
        CheckOutputFiles(request);
    }

    /// <summary>
    /// Compile and link flags given to CMake reach every compiler run of every candidate, so they pass the gate for a
    /// project's own build settings. The compiler and launcher programs are the project's choice, as AutoPassCCompiler
    /// is; arguments listed after them (CMAKE_C_COMPILER="gcc;-fplugin=x.so") are flags like any other.
    /// </summary>
    private static void CheckCMakeArgs(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string definition;
            if (args[i] == "-D" && i + 1 < args.Count) definition = args[++i];
            else if (args[i].StartsWith("-D", StringComparison.Ordinal)) definition = args[i][2..];
            else continue;
            int eq = definition.IndexOf('=');
            if (eq <= 0) continue;
            string name = definition[..eq];
            int colon = name.IndexOf(':');
            if (colon > 0) name = name[..colon];
            CheckCMakeVariable("AutoPassCMakeArgs", name, definition[(eq + 1)..]);
        }
    }

    /// <summary>
    /// The gate for one CMake cache variable that may carry compiler flags, wherever it comes from (AutoPassCMakeArgs, a
    /// configure preset's cacheVariables); <paramref name="source"/> names it in the error.
    /// </summary>
    public static void CheckCMakeVariable(string source, string name, string value)
    {
        IEnumerable<string> flags = FlagsVariable().IsMatch(name)
            ? value.Split((char[])[' ', '\t', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries)
            : ProgramVariable().IsMatch(name) ? value.Split(';', StringSplitOptions.RemoveEmptyEntries).Skip(1) : [];
        foreach (var flag in flags)
        {
            var decision = FlagPolicy.EvaluateBuildSetting(flag);
            if (!decision.Allowed)
                throw new AutoPassException(DiagnosticCode.ForbiddenCMakeArgsFlag,
                    $"{source} sets {name} with '{flag}', which AutoPass never passes to a compiler: {decision.Reason}.",
                    $"Remove '{flag}' from {source}; optimization options go in AutoPassBaselineFlags, and nothing that loads code or reads or writes files outside the build belongs in a tuning build.");
        }
    }

    /// <summary>The declared output files are deleted and read: each must name a place inside the CMake source directory.</summary>
    private static void CheckOutputFiles(TuningRequest request)
    {
        foreach (var benchmark in request.Benchmarks)
            foreach (var file in benchmark.OutputFiles ?? [])
                if (ConfinedPath.Problem(request.SourceDir, request.SourceDir, file, out _) is { } problem)
                    throw Check.OutputCheck.Refused(benchmark, file, problem);
    }

    [GeneratedRegex(@"^CMAKE_(?:[A-Za-z0-9]+_FLAGS|(?:EXE|SHARED|MODULE|STATIC)_LINKER_FLAGS)(?:_[A-Za-z0-9_]+)?$")]
    private static partial Regex FlagsVariable();

    [GeneratedRegex(@"^CMAKE_[A-Za-z0-9]+_(?:COMPILER|COMPILER_LAUNCHER|LINKER_LAUNCHER)$")]
    private static partial Regex ProgramVariable();

    private static AutoPassException Invalid(string property, string value, string expected) =>
        new(DiagnosticCode.InvalidSetting, $"{property} is '{value}'.", $"Set it to {expected}.");
}
