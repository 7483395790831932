using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Policy;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Compilers;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Search;

/// <summary>
/// How the built-in search spends a small budget, over the real gcc's catalog with synthetic verdicts:
/// the opening screens the edits known to matter, local search builds only on confident winners.
/// </summary>
public class SearchStrategyTests
{
    private static async Task<(FlagCatalog Catalog, FlagPolicy Policy)> GccAsync()
    {
        var catalog = await CompilerProbe.CatalogAsync(await InstalledCompilers.Gcc(), ["-O3"]);
        return (catalog, new FlagPolicy(new PolicyOptions(), catalog));
    }

    private static TrialRecord Measured(int trial, IReadOnlyList<string> flags, double speedup, SpeedupDecision decision, string origin = "screen") => new()
    {
        Trial = trial,
        Phase = TrialPhase.Screen,
        Flags = flags,
        Origin = origin,
        BuildStatus = BuildStatus.Ok,
        OutputCheck = OutputCheckStatus.Equal,
        BinaryHash = $"hash{trial}",
        Verdict = new SpeedupVerdict(speedup, speedup - 0.02, speedup + 0.02, 0.95, decision, 10),
    };

    private static SearchState State(FlagCatalog catalog, FlagPolicy policy, IReadOnlyList<TrialRecord> trials, int budget)
    {
        int measured = trials.Count(t => t.CountsAgainstBudget());
        return new SearchState(catalog, policy, ["-O3"], trials, budget - measured, Seed: 1);
    }

    private static StrategyBandit BuiltinBandit() =>
        (StrategyBandit)SearchDriver.Sources(SearchMode.Bandit, agents: null)[0];

    [Fact]
    public async Task Opening_ScreensTheKnownEditsInOrder_UntilHalfTheBudgetIsMeasured()
    {
        var (catalog, policy) = await GccAsync();
        var bandit = BuiltinBandit();
        var trials = new List<TrialRecord>();
        var expected = SingleFlagScreening.Promising.Take(4).ToList();
        for (int i = 0; i < 4; i++)
        {
            var proposal = Assert.Single(await bandit.ProposeAsync(State(catalog, policy, trials, budget: 8), 1, CancellationToken.None));
            Assert.Equal("screen", proposal.Origin);
            Assert.Equal([expected[i]], proposal.Flags);
            trials.Add(Measured(i + 1, proposal.Flags, 1.0, SpeedupDecision.NotFaster));
        }

        // Half of the 8 measured trials are spent: the other strategies get their turn.
        var next = Assert.Single(await bandit.ProposeAsync(State(catalog, policy, trials, budget: 8), 1, CancellationToken.None));
        Assert.NotEqual("screen", next.Origin);
    }

    [Fact]
    public async Task Opening_ConfidentWinnersAreCombinedBeforeScreeningGoesOn()
    {
        var (catalog, policy) = await GccAsync();
        var bandit = BuiltinBandit();
        var trials = new List<TrialRecord>
        {
            Measured(1, ["-funroll-loops"], 1.20, SpeedupDecision.Faster),
            Measured(2, ["-flto=auto"], 1.10, SpeedupDecision.Faster),
        };
        var proposal = Assert.Single(await bandit.ProposeAsync(State(catalog, policy, trials, budget: 8), 1, CancellationToken.None));
        Assert.Equal("combine", proposal.Origin);
        Assert.Equal(["-funroll-loops", "-flto=auto"], proposal.Flags);
    }

    [Fact]
    public async Task Opening_CombinationsOfItsWinnersDoNotShortenIt()
    {
        var (catalog, policy) = await GccAsync();
        var known = SingleFlagScreening.Promising;
        var trials = new List<TrialRecord>
        {
            Measured(1, [known[0]], 1.20, SpeedupDecision.Faster),
            Measured(2, [known[1]], 1.00, SpeedupDecision.NotFaster),
            Measured(3, [known[2]], 1.10, SpeedupDecision.Faster),
            Measured(4, [known[0], known[2]], 1.25, SpeedupDecision.Faster, origin: "combine"),
        };
        // Four of eight measured, but only three by the opening: it screens the fourth known edit next.
        var proposal = Assert.Single(await BuiltinBandit().ProposeAsync(State(catalog, policy, trials, budget: 8), 1, CancellationToken.None));
        Assert.Equal("screen", proposal.Origin);
        Assert.Equal([known[3]], proposal.Flags);
    }

    [Fact]
    public async Task PromisingOnlyScreening_StopsWhenTheKnownEditsAreTried()
    {
        var (catalog, policy) = await GccAsync();
        var screening = new SingleFlagScreening(promisingOnly: true);
        var trials = new List<TrialRecord>();
        for (int i = 0; i < 100; i++)
        {
            var proposals = await screening.ProposeAsync(State(catalog, policy, trials, budget: 1000), 1, CancellationToken.None);
            if (proposals.Count == 0) break;
            trials.Add(Measured(i + 1, proposals[0].Flags, 1.0, SpeedupDecision.NotFaster));
        }
        Assert.False(SingleFlagScreening.HasUntriedPromising(State(catalog, policy, trials, budget: 1000)));
        Assert.All(trials, t => Assert.Contains(Assert.Single(t.Flags), SingleFlagScreening.Promising));
        // The full screening goes on into the rest of the catalog.
        var more = await new SingleFlagScreening().ProposeAsync(State(catalog, policy, trials, budget: 1000), 1, CancellationToken.None);
        Assert.DoesNotContain(Assert.Single(Assert.Single(more).Flags), SingleFlagScreening.Promising);
    }

    [Theory]
    [InlineData(nameof(SpeedupDecision.Faster), true)]
    [InlineData(nameof(SpeedupDecision.NotFaster), false)]
    public async Task LocalSearch_BuildsOnConfidentWinnersOnly(string decisionName, bool buildsOnIt)
    {
        var decision = Enum.Parse<SpeedupDecision>(decisionName);
        var (catalog, policy) = await GccAsync();
        // A 5% point estimate that is not confidently faster is noise to local search.
        var trials = new List<TrialRecord> { Measured(1, ["-funroll-loops"], 1.05, decision) };
        var state = State(catalog, policy, trials, budget: 8);

        var mutation = Assert.Single(await new GroupMutation().ProposeAsync(state, 1, CancellationToken.None));
        Assert.Equal(buildsOnIt, mutation.Rationale!.StartsWith("mutation of trial 1", StringComparison.Ordinal));

        var parameters = Assert.Single(await new ParameterTuning().ProposeAsync(state, 1, CancellationToken.None));
        Assert.Equal(buildsOnIt, parameters.Flags.Contains("-funroll-loops"));
        Assert.Equal(buildsOnIt, parameters.Rationale!.EndsWith("on top of trial 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-funroll-loops", true)]
    [InlineData("-flto=auto", false)]
    public async Task ParameterTuning_ProposesUnrollerParametersOnlyOnTopOfUnrolling(string winnerFlag, bool unrolls)
    {
        var (catalog, policy) = await GccAsync();
        // Without -funroll-loops gcc's RTL unroller does not run: its parameters would rebuild the same binaries.
        var state = State(catalog, policy, [Measured(1, [winnerFlag], 1.2, SpeedupDecision.Faster)], budget: 100);
        var proposals = await new ParameterTuning().ProposeAsync(state, 100, CancellationToken.None);
        string[] unroller = ["--param=max-unroll-times=", "--param=max-unrolled-insns=", "--param=max-average-unrolled-insns="];
        Assert.Equal(unrolls, proposals.Any(p => p.Flags.Any(f => unroller.Any(f.StartsWith))));
        Assert.Contains(proposals, p => p.Flags.Any(f => f.StartsWith("--param=max-inline-insns-auto=", StringComparison.Ordinal)));
        Assert.All(proposals, p => Assert.Contains(winnerFlag, p.Flags));
    }
}
