using AutoPass.Core.Compilers;

namespace AutoPass.Core.Agents;

/// <summary>One concrete experiment: flags on top of the baseline, why, and what it should do.</summary>
internal sealed record Proposal(IReadOnlyList<string> Flags, string Rationale, string ExpectedEffect);

internal sealed record ProposerInput(
    IReadOnlyList<Hypothesis> Hypotheses,
    LedgerSummary Summary,
    IReadOnlyList<Lesson> Lessons,
    FlagCatalog Catalog,
    IReadOnlyList<string> BaselineFlags,
    int Count);

internal sealed record ProposerReport(IReadOnlyList<Proposal> Proposals);

/// <summary>Turns hypotheses, lessons and the ledger summary into a few concrete candidates.</summary>
internal interface IProposer
{
    Task<StageReply<ProposerReport>> ProposeAsync(ProposerInput input, CancellationToken cancellationToken);
}
