namespace AutoPass.Core.Evidence;

/// <summary>One function of the profile and its share of the run time (0..1).</summary>
internal sealed record HotFunction(string Name, double Share);

/// <summary>
/// What is known about the program being tuned, before any trial: where its time goes and what the
/// compiler said about it. The text comes from the user's sources and build, so it is data, never instructions.
/// </summary>
/// <param name="HotFunctions">Hottest first.</param>
/// <param name="RemarkDigest">A short digest of compiler optimization remarks (missed vectorization, inlining decisions...).</param>
internal sealed record ProgramEvidence(IReadOnlyList<HotFunction> HotFunctions, string RemarkDigest)
{
    public static ProgramEvidence None { get; } = new([], "");
}
