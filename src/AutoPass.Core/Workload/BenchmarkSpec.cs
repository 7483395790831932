namespace AutoPass.Core.Workload;

/// <summary>One benchmark: a CMake executable target and the arguments it runs with.</summary>
/// <param name="Target">The CMake target that produces the executable.</param>
/// <param name="Arguments">Command-line arguments, already split.</param>
/// <param name="TimeoutSeconds">Hard limit for one run; null means "a multiple of the baseline's time".</param>
public sealed record BenchmarkSpec(string Target, IReadOnlyList<string> Arguments, double? TimeoutSeconds = null)
{
    public string DisplayName => Arguments.Count == 0 ? Target : $"{Target} {string.Join(' ', Arguments)}";
}
