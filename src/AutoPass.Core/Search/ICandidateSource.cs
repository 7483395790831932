namespace AutoPass.Core.Search;

/// <summary>
/// Anything that proposes candidates: a built-in strategy or an agent stage. The session loop does not
/// know which it has. Proposals are only proposals: the session still sends every flag through the policy gate.
/// </summary>
internal interface ICandidateSource
{
    string Name { get; }

    /// <summary>Up to <paramref name="count"/> new candidates; empty when the source has nothing more to offer.</summary>
    Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken);
}
