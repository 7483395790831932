namespace AutoPass.Core.Workload;

/// <summary>Where a session keeps what it makes: every path, derived once from the request.</summary>
/// <param name="OutputDir">Checked in: the pinned files.</param>
/// <param name="IntermediateDir">Not checked in: build trees, ledger, report, summary.</param>
internal sealed record ArtifactPaths(string OutputDir, string IntermediateDir)
{
    public string Ledger => Path.Combine(IntermediateDir, "ledger.jsonl");

    public string Report => Path.Combine(IntermediateDir, "report.html");

    public string Summary => Path.Combine(IntermediateDir, "summary.txt");

    /// <summary>One CMake build tree per flag set, the baseline's included.</summary>
    public string Builds => Path.Combine(IntermediateDir, "builds");

    /// <summary>The build tree of a plain build with the pinned flags (unless the build names its own).</summary>
    public string PinnedBuild => Path.Combine(IntermediateDir, "build");

    public static ArtifactPaths For(TuningRequest request) => new(request.OutputDir, request.IntermediateDir);
}
