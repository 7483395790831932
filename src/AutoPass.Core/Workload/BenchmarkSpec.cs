namespace AutoPass.Core.Workload;

/// <summary>One benchmark: a CMake executable target and the arguments it runs with.</summary>
/// <param name="Target">The CMake target that produces the executable.</param>
/// <param name="Arguments">Command-line arguments, already split.</param>
/// <param name="TimeoutSeconds">Hard limit for one run; null means "a multiple of the baseline's time".</param>
/// <param name="OutputFiles">Files the benchmark writes (relative to its working directory) that must equal the baseline's.</param>
/// <param name="VerifyCommand">
/// The benchmark's own check, run after a candidate's check run with its stdout on standard input; exit code 0
/// passes. When given, it replaces the comparison with the baseline's output.
/// </param>
internal sealed record BenchmarkSpec(
    string Target,
    IReadOnlyList<string> Arguments,
    double? TimeoutSeconds = null,
    IReadOnlyList<string>? OutputFiles = null,
    IReadOnlyList<string>? VerifyCommand = null)
{
    public string DisplayName => Arguments.Count == 0 ? Target : $"{Target} {string.Join(' ', Arguments)}";
}
