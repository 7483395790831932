using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;

namespace AutoPass.Core.Agents;

/// <summary>A guess about what limits the program, with the flags that would test it.</summary>
/// <param name="Statement">The hypothesis in a sentence.</param>
/// <param name="Flags">Flag spellings that test it (e.g. -funroll-loops, --param=max-unroll-times=16).</param>
/// <param name="Priority">1 (try first) to 5.</param>
internal sealed record Hypothesis(string Statement, IReadOnlyList<string> Flags, int Priority);

internal sealed record AnalystInput(ProgramEvidence Evidence, FlagCatalog Catalog, IReadOnlyList<string> BaselineFlags);

internal sealed record AnalystReport(IReadOnlyList<Hypothesis> Hypotheses);

/// <summary>Reads the program evidence and states hypotheses about what the compiler could do better.</summary>
internal interface IAnalyst
{
    Task<StageReply<AnalystReport>> AnalyzeAsync(AnalystInput input, CancellationToken cancellationToken);
}
