using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Search;

/// <summary>
/// Shares one budget among interchangeable strategies, the way OpenTuner's bandit does: each pick goes to
/// the strategy with the best upper confidence bound on "its candidate improved on the best so far",
/// over a sliding window of recent picks, so allocation follows the strategies that are paying off.
/// Combination of confident winners always goes first when it has something new. An optional opening
/// strategy (screening of the edits known to matter) gets <paramref name="openingShare"/> of the measured
/// budget before the others: with budgets of a handful of trials, breadth over the likely wins pays more than local
/// search around a first, possibly lucky, result. An optional explorer (random groups) takes every
/// <see cref="ExploreEvery"/>th place of the opening, and an optional guest (the model-backed agent stages) the second of
/// every <see cref="ExploreEvery"/>, so a model configured for a short session is asked in its first race.
/// </summary>
internal sealed class StrategyBandit(
    IReadOnlyList<ICandidateSource> strategies, ICandidateSource? priority = null, ICandidateSource? opening = null,
    double openingShare = 0.5, int window = 20, double exploration = 0.5, ICandidateSource? explorer = null,
    ICandidateSource? guest = null, bool capWholeProject = false) : ICandidateSource
{
    /// <summary>During the opening, every this many proposals one goes to the explorer: a prior list alone fits the programs it was made on.</summary>
    public const int ExploreEvery = 4;

    private int _openingProposals;
    private readonly List<(string Strategy, bool Improved)> _history = [];
    private readonly Dictionary<string, string> _strategyOfKey = new(StringComparer.Ordinal);
    private int _credited;

    public string Name => "bandit";

    public async Task<IReadOnlyList<Candidate>> ProposeAsync(SearchState state, int count, CancellationToken cancellationToken)
    {
        Credit(state);
        bool capped = capWholeProject && state.WholeProjectBuildsHadTheirShare;
        async Task<IReadOnlyList<Candidate>> Ask(ICandidateSource source)
        {
            var proposals = await source.ProposeAsync(state, count, cancellationToken);
            return capped ? proposals.Where(p => !Build.LinkTimeFlags.AnyIn(p.Flags)).ToList() : proposals;
        }

        if (priority is not null)
        {
            var first = await Ask(priority);
            if (first.Count > 0) return Remember(priority, first);
        }
        if (opening is not null && InOpening(state))
        {
            int place = ++_openingProposals % ExploreEvery;
            if (explorer is not null && place == 0)
            {
                var explored = await Ask(explorer);
                if (explored.Count > 0) return Remember(explorer, explored);
            }
            if (guest is not null && place == 2)
            {
                var asked = await Ask(guest);
                if (asked.Count > 0) return Remember(guest, asked);
            }
            var first = await Ask(opening);
            if (first.Count > 0) return Remember(opening, first);
        }
        var exhausted = new HashSet<string>();
        while (exhausted.Count < strategies.Count)
        {
            var strategy = strategies.Where(s => !exhausted.Contains(s.Name)).OrderByDescending(Score).ThenBy(s => IndexOf(s)).First();
            var proposals = await Ask(strategy);
            if (proposals.Count > 0) return Remember(strategy, proposals);
            exhausted.Add(strategy.Name);
        }
        return [];
    }

    /// <summary>
    /// The opening's own measured (or failed) builds are below its share of the budget. Combinations of its
    /// winners, which go first, do not shorten it.
    /// </summary>
    private bool InOpening(SearchState state)
    {
        int measured = state.Trials.Count(t => t.Phase == TrialPhase.Screen && t.CountsAgainstBudget());
        int opened = state.Trials.Count(t => t.Phase == TrialPhase.Screen && t.CountsAgainstBudget() && t.Origin == opening!.Name);
        return opened < openingShare * (measured + state.TrialsLeft);
    }

    private IReadOnlyList<Candidate> Remember(ICandidateSource strategy, IReadOnlyList<Candidate> proposals)
    {
        foreach (var p in proposals) _strategyOfKey[p.Key] = strategy.Name;
        return proposals;
    }

    /// <summary>Reward each measured trial a strategy proposed: did it beat every earlier trial's lower bound?</summary>
    private void Credit(SearchState state)
    {
        var screened = state.Trials.Where(t => t.Phase == TrialPhase.Screen).ToList();
        for (; _credited < screened.Count; _credited++)
        {
            var trial = screened[_credited];
            if (!_strategyOfKey.TryGetValue(string.Join(' ', trial.Flags), out var origin)) continue;
            double bestBefore = screened.Take(_credited).Where(t => t.Verdict is not null).Select(t => t.Verdict!.Low).DefaultIfEmpty(1).Max();
            bool improved = trial.Verdict is { Decision: SpeedupDecision.Faster } v && v.Low > bestBefore;
            _history.Add((origin, improved));
        }
    }

    private double Score(ICandidateSource strategy)
    {
        var recent = _history.TakeLast(window).ToList();
        var mine = recent.Where(h => h.Strategy == strategy.Name).ToList();
        if (mine.Count == 0) return double.PositiveInfinity; // untried strategies get a turn first
        double mean = mine.Count(h => h.Improved) / (double)mine.Count;
        return mean + exploration * Math.Sqrt(2 * Math.Log(Math.Max(2, recent.Count)) / mine.Count);
    }

    private int IndexOf(ICandidateSource strategy)
    {
        for (int i = 0; i < strategies.Count; i++) if (ReferenceEquals(strategies[i], strategy)) return i;
        return int.MaxValue;
    }
}
