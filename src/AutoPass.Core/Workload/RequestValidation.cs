using AutoPass.Core.Diagnostics;
using AutoPass.Core.Policy;

namespace AutoPass.Core.Workload;

/// <summary>Checks a request before any work starts, so bad input fails in seconds and changes nothing.</summary>
internal static class RequestValidation
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
    }

    private static AutoPassException Invalid(string property, string value, string expected) =>
        new(DiagnosticCode.InvalidSetting, $"{property} is '{value}'.", $"Set it to {expected}.");
}
