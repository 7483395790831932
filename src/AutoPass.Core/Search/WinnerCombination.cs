using AutoPass.Core.Statistics;

namespace AutoPass.Core.Search;

/// <summary>
/// Combines what helped: the flags of every candidate that was confidently faster, best first,
/// as growing prefixes (best two, best three, ...), so one bad interaction does not hide the rest.
/// </summary>
internal sealed class WinnerCombination : ICandidateSource
{
    public string Name => "combine";

    public Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        var winners = state.Winners.ToList();
        var proposals = new List<Candidate>();
        for (int size = 2; size <= winners.Count && proposals.Count < count; size++)
        {
            var flags = winners.Take(size).SelectMany(w => w.Flags).Distinct(StringComparer.Ordinal).ToList();
            if (flags.Count < 2 || state.WasTried(flags)) continue;
            string gains = string.Join(", ", winners.Take(size).Select(w => $"{string.Join(' ', w.Flags)} {w.Verdict!.Speedup:0.000}x"));
            proposals.Add(new Candidate(flags, Name, $"combine the {size} best single winners ({gains})"));
        }
        return Task.FromResult<IReadOnlyList<Candidate>>(proposals);
    }
}
