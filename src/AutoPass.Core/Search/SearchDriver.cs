using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Racing;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Search;

/// <summary>What entering a candidate came to: whether a race will time it, and whether it counts against the trial budget.</summary>
internal readonly record struct SearchEntry(bool Raced, bool Counts);

/// <summary>
/// The search loop's side of the search, and the one place that composes the strategies. It hands out batches
/// (<see cref="NextBatch"/>) of untried candidates and takes back their trials (<see cref="Record"/>), which it adds to
/// the trials and counts against the budget; a trial may come back in a later batch than the one it was handed out in
/// (an entrant carried on to the next race): until then its candidate stays pending, so it is not proposed again, and it
/// holds its place in the trial budget. The session runs the candidates for real; replay feeds back the recorded trials,
/// so both make their decisions through this same loop.
/// </summary>
/// <param name="trials">Every trial so far, the calibration's first; <see cref="Record"/> adds to it.</param>
/// <param name="proposedElsewhere">Keys of candidates other workers of the campaign proposed (<c>Session.CampaignClaims</c>): never proposed again.</param>
internal sealed class SearchDriver(
    IReadOnlyList<ICandidateSource> sources, FlagCatalog catalog, FlagPolicy policy, IReadOnlyList<string> baselineFlags, int seed,
    List<TrialRecord> trials, SearchBudget budget, IReadOnlySet<string>? proposedElsewhere = null)
{
    // Candidates whose trial has not come back yet: the batch's, and entrants carried on from earlier races.
    private readonly Dictionary<int, (string Key, bool Counts)> _awaiting = [];
    private int _nextTrial = trials.Max(t => t.Trial) + 1;

    public IReadOnlyList<TrialRecord> Trials => trials;

    public SearchBudget Budget => budget;

    /// <summary>The sources had nothing new left to propose.</summary>
    public bool Dry { get; private set; }

    /// <summary>
    /// The next batch of up to <paramref name="raceSize"/> entrants, or null when the budget is used or the sources ran
    /// dry. Take its candidates one at a time (<see cref="SearchBatch.NextAsync"/>): each proposal sees the batch so far as
    /// tried, and what came of entering it (<see cref="SearchBatch.Took"/>) says whether the batch has room for more.
    /// </summary>
    public SearchBatch? NextBatch(int raceSize) => budget.AllowsAnother && !Dry ? new SearchBatch(this, raceSize) : null;

    /// <summary>Takes back trials of candidates handed out (in this batch or an earlier one): adds them to the trials and counts them against the budget.</summary>
    public void Record(IEnumerable<TrialRecord> records)
    {
        foreach (var record in records)
        {
            _awaiting.Remove(record.Trial);
            trials.Add(record);
            budget.Count(record);
        }
    }

    /// <summary>The next untried candidate, numbered and pending until its trial comes back; null: the sources ran dry.</summary>
    private async Task<(int Trial, Candidate Candidate)?> ProposeAsync(int trialsLeft, CancellationToken ct)
    {
        var pending = _awaiting.Values.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        if (proposedElsewhere is not null) pending.UnionWith(proposedElsewhere);
        var state = new SearchState(catalog, policy, baselineFlags, trials, trialsLeft, seed, pending);
        if (Dry || await NextCandidateAsync(sources, state, ct) is not { } candidate)
        {
            Dry = true;
            return null;
        }
        int trial = _nextTrial++;
        _awaiting[trial] = (candidate.Key, false);
        return (trial, candidate);
    }

    /// <summary>
    /// One batch, filled a candidate at a time until it has <c>raceSize</c> entrants (a candidate whose binaries are known
    /// already is settled without timing, so the batch is topped up with the next proposal, at most
    /// <see cref="ProposalsPerEntrant"/> per place), as many counting trials as the budget has left, or until its builds
    /// took half the time left (<see cref="RacePlan.BuildsTookHalfTheTime"/>) or its race has no room for another
    /// (<see cref="Took"/>). With a race size of 1 every proposal is its own batch.
    /// </summary>
    internal sealed class SearchBatch
    {
        private readonly SearchDriver _driver;
        private readonly int _raceSize, _maxProposals;
        private readonly TimeSpan? _timeLeftAtStart;
        private readonly List<int> _trials = [];
        // Handed out and not yet taken back (Took): a group prepared at once counts them as entrants and counting trials.
        private int _entrants, _counted, _pending;
        private bool _closed;

        public SearchBatch(SearchDriver driver, int raceSize)
        {
            _driver = driver;
            _raceSize = raceSize;
            _maxProposals = raceSize == 1 ? 1 : Math.Min(driver.Budget.ProposalsLeft, ProposalsPerEntrant * raceSize);
            _timeLeftAtStart = driver.Budget.TimeLeft;
            _counted = driver._awaiting.Values.Count(a => a.Counts);
        }

        /// <summary>The trial numbers handed out in this batch, in order.</summary>
        public IReadOnlyList<int> Trials => _trials;

        private bool Full
        {
            get
            {
                var budget = _driver.Budget;
                return _entrants + _pending >= _raceSize || _counted + _pending >= budget.TrialsLeft || _trials.Count >= _maxProposals || (_trials.Count > 0 && budget.TimeUsedUp)
                    || (_entrants > 0 && (RacePlan.BuildsTookHalfTheTime(_timeLeftAtStart, budget.TimeLeft) || _closed));
            }
        }

        /// <summary>The next untried candidate and its trial number, or null when the batch is full or the sources ran dry.</summary>
        public async Task<(int Trial, Candidate Candidate)?> NextAsync(CancellationToken ct)
        {
            if (Full || await _driver.ProposeAsync(_driver.Budget.TrialsLeft - _counted - _pending, ct) is not { } next) return null;
            _trials.Add(next.Trial);
            _pending++;
            return next;
        }

        /// <summary>
        /// Up to <paramref name="size"/> candidates handed out at once, to be prepared together (each in a build slot of its
        /// own) and taken back in order; none when the batch is full or the sources ran dry. A size of 1 is <see cref="NextAsync"/>.
        /// </summary>
        public async Task<IReadOnlyList<(int Trial, Candidate Candidate)>> NextGroupAsync(int size, CancellationToken ct)
        {
            var group = new List<(int Trial, Candidate Candidate)>();
            while (group.Count < Math.Max(1, size) && await NextAsync(ct) is { } next) group.Add(next);
            return group;
        }

        /// <summary>What came of entering a candidate handed out; <paramref name="closes"/>: its race has no room for another entrant.</summary>
        public void Took(int trial, SearchEntry entry, bool closes = false)
        {
            _driver._awaiting[trial] = (_driver._awaiting[trial].Key, entry.Counts);
            _pending--;
            if (entry.Raced) _entrants++;
            if (entry.Counts) _counted++;
            _closed = closes;
        }
    }

    /// <summary>
    /// The rules new sessions propose by, written to their ledger header. 1: as first built; 2: a race takes at most
    /// <see cref="ParameterTuning.PerRace"/> parameter variants of one start, and none of a parameter shown inert; 3: the
    /// bandit also combines the best unproven estimates (<see cref="PromisingCombination"/>), and link-time sets, when
    /// they cost more than the rest, get at most <see cref="SearchState.WholeProjectShare"/> of the build time; 4: screening
    /// skips a known edit that sets an option to its baseline value, and mutation draws most flips from edits shown to
    /// change the program.
    /// </summary>
    public const int CurrentRules = 4;

    /// <summary>Proposals a race may take per place before it is run with fewer entrants (most proposals that repeat known binaries cost a build, not a run).</summary>
    public const int ProposalsPerEntrant = 4;

    /// <summary>
    /// The search: combination of confident winners first, screening of the edits known to matter for the
    /// first half of the budget (every fourth place going to a random group), then a bandit over screening, the
    /// agent stages (model-backed or built-in), mutation, random groups, parameter tuning and combinations of the best
    /// unproven estimates; or plain random search as a yardstick.
    /// </summary>
    /// <param name="agentsUseModel">The agent stages are model-backed: they also take a place in the opening's races.</param>
    /// <param name="rules">The rules to propose by: a session's ledger names them, so its replay proposes alike (<see cref="CurrentRules"/>).</param>
    public static IReadOnlyList<ICandidateSource> Sources(SearchMode mode, ICandidateSource? agents, bool agentsUseModel = false, int rules = CurrentRules) => mode switch
    {
        SearchMode.Random => [new RandomSearch()],
        _ => [new StrategyBandit(
            [new SingleFlagScreening(skipBaselineValues: rules >= 4), .. agents is null ? [] : new[] { agents }, new GroupMutation(preferEffective: rules >= 4), RandomSearch.Groups(), ParameterTuning.By(rules),
                .. rules >= 3 ? new ICandidateSource[] { new PromisingCombination() } : []],
            priority: new WinnerCombination(), opening: new SingleFlagScreening(promisingOnly: true, skipBaselineValues: rules >= 4), explorer: RandomSearch.Groups(),
            guest: agentsUseModel ? agents : null, capWholeProject: rules >= 3)],
    };

    /// <summary>The first source (in order) with something new to offer.</summary>
    public static async Task<Candidate?> NextCandidateAsync(IReadOnlyList<ICandidateSource> sources, SearchState state, CancellationToken ct)
    {
        foreach (var source in sources)
        {
            var proposals = await source.ProposeAsync(state, 1, ct);
            var fresh = proposals.FirstOrDefault(p => p.Flags.Count > 0 && !state.WasTried(p.Flags));
            if (fresh is not null) return fresh;
        }
        return null;
    }
}
