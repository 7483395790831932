using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
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
[Trait("Category", "Real")]
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
    public async Task Opening_ScreensTheKnownEditsInOrder_WithEveryFourthPlaceARandomGroup_UntilHalfTheBudgetIsMeasured()
    {
        var (catalog, policy) = await GccAsync();
        var bandit = BuiltinBandit();
        var trials = new List<TrialRecord>();
        var expected = SingleFlagScreening.Promising.Take(3).ToList();
        for (int i = 0; i < 4; i++)
        {
            var proposal = Assert.Single(await bandit.ProposeAsync(State(catalog, policy, trials, budget: 8), 1, CancellationToken.None));
            if (i == StrategyBandit.ExploreEvery - 1)
            {
                // The prior list fits the programs it was made on; a random group looks where it does not.
                Assert.Equal("group", proposal.Origin);
                Assert.True(proposal.Flags.Count > 1, string.Join(' ', proposal.Flags));
            }
            else
            {
                Assert.Equal("screen", proposal.Origin);
                Assert.Equal([expected[i]], proposal.Flags);
            }
            trials.Add(Measured(i + 1, proposal.Flags, 1.0, SpeedupDecision.NotFaster, proposal.Origin));
        }

        // The opening's share is half of the 8 measured trials, counted by its own trials: it goes on for one more.
        var fourth = Assert.Single(await bandit.ProposeAsync(State(catalog, policy, trials, budget: 8), 1, CancellationToken.None));
        Assert.Equal([SingleFlagScreening.Promising[3]], fourth.Flags);
        trials.Add(Measured(5, fourth.Flags, 1.0, SpeedupDecision.NotFaster));

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
    public async Task Opening_MovesTheLevelDown_AndOnceMinusO2HoldsUp_TakesBackHalfOfWhatItTurnedOff()
    {
        var (catalog, policy) = await GccAsync();
        // gcc says which passes -O3 has on that -O2 turns off (its loop and vectorizer extras).
        Assert.Contains("-funswitch-loops", catalog.PassesAboveO2);
        Assert.DoesNotContain("-funroll-loops", catalog.PassesAboveO2);
        var screening = new SingleFlagScreening(promisingOnly: true);
        var trials = new List<TrialRecord>();
        var proposed = new List<IReadOnlyList<string>>();
        for (int i = 0; i < 10; i++)
        {
            var proposal = Assert.Single(await screening.ProposeAsync(State(catalog, policy, trials, budget: 100), 1, CancellationToken.None));
            proposed.Add(proposal.Flags);
            trials.Add(Measured(i + 1, proposal.Flags, proposal.Flags is ["-O2"] ? 1.03 : 1.0, SpeedupDecision.NotFaster));
        }
        Assert.Contains(proposed, p => p is ["-O2"]);
        Assert.Contains(proposed, p => p is ["-Os"]);
        var passesBack = proposed.Where(p => p.Count > 1).ToList();
        Assert.Equal(2, passesBack.Count);
        Assert.All(passesBack, p => Assert.Equal("-O2", p[0]));
        // The two halves together take back every pass -O2 turned off, each once.
        Assert.Equal(catalog.PassesAboveO2.Order(StringComparer.Ordinal), passesBack.SelectMany(p => p.Skip(1)).Order(StringComparer.Ordinal));

        // -O2 slower than the baseline: nothing is built on it.
        var slower = new List<TrialRecord> { Measured(1, ["-funroll-loops"], 1.0, SpeedupDecision.NotFaster), Measured(2, ["-O2"], 0.95, SpeedupDecision.NotFaster) };
        for (int i = 0; i < 6; i++)
        {
            var proposal = Assert.Single(await screening.ProposeAsync(State(catalog, policy, slower, budget: 100), 1, CancellationToken.None));
            Assert.Single(proposal.Flags);
            slower.Add(Measured(i + 3, proposal.Flags, 1.0, SpeedupDecision.NotFaster));
        }
    }

    [Fact]
    public async Task Opening_DoesNotMoveToTheLevelTheBaselineIsAt()
    {
        var catalog = await CompilerProbe.CatalogAsync(await InstalledCompilers.Gcc(), ["-O2"]);
        var policy = new FlagPolicy(new PolicyOptions(), catalog);
        var state = new SearchState(catalog, policy, ["-O2"], [], 100, Seed: 1);
        var proposals = await new SingleFlagScreening(promisingOnly: true).ProposeAsync(state, 30, CancellationToken.None);
        Assert.DoesNotContain(proposals, p => p.Flags is ["-O2"]);
        Assert.Contains(proposals, p => p.Flags is ["-Os"]);
        Assert.Empty(catalog.PassesAboveO2);
    }

    [Fact]
    public async Task Screening_SkipsAKnownEditThatSetsTheBaselineValue_FromSearchRules4()
    {
        // gcc's -O3 has the dynamic vectorizer cost model already; -O2 a cheaper one, which the edit does change.
        var (o3, o3Policy) = await GccAsync();
        Assert.Equal("dynamic", o3.Find("-fvect-cost-model")!.BaselineValue);
        var o2 = await CompilerProbe.CatalogAsync(await InstalledCompilers.Gcc(), ["-O2"]);
        Assert.NotEqual("dynamic", o2.Find("-fvect-cost-model")!.BaselineValue);

        async Task<bool> Proposes(FlagCatalog catalog, IReadOnlyList<string> baseline, bool skip) =>
            (await new SingleFlagScreening(promisingOnly: true, skipBaselineValues: skip)
                .ProposeAsync(new SearchState(catalog, new FlagPolicy(new PolicyOptions(), catalog), baseline, [], 100, Seed: 1), 100, CancellationToken.None))
            .Any(p => p.Flags is ["-fvect-cost-model=dynamic"]);

        Assert.False(await Proposes(o3, ["-O3"], skip: true));
        Assert.True(await Proposes(o3, ["-O3"], skip: false));
        Assert.True(await Proposes(o2, ["-O2"], skip: true));
        // A session of search rules 3 (its ledger says so) still proposes it, so its replay matches.
        var rules3 = (StrategyBandit)SearchDriver.Sources(SearchMode.Bandit, agents: null, rules: 3)[0];
        var rules4 = (StrategyBandit)SearchDriver.Sources(SearchMode.Bandit, agents: null)[0];
        Assert.True(await OpeningProposes(rules3, o3, o3Policy, "-fvect-cost-model=dynamic"));
        Assert.False(await OpeningProposes(rules4, o3, o3Policy, "-fvect-cost-model=dynamic"));
    }

    /// <summary>Whether the bandit's opening comes to <paramref name="flag"/> within the prior list's length of places, each screened not faster.</summary>
    private static async Task<bool> OpeningProposes(StrategyBandit bandit, FlagCatalog catalog, FlagPolicy policy, string flag)
    {
        var trials = new List<TrialRecord>();
        for (int i = 0; i < 2 * SingleFlagScreening.Promising.Count; i++)
        {
            var proposal = Assert.Single(await bandit.ProposeAsync(State(catalog, policy, trials, budget: 1000), 1, CancellationToken.None));
            if (proposal.Flags.SequenceEqual([flag])) return true;
            trials.Add(Measured(i + 1, proposal.Flags, 1.0, SpeedupDecision.NotFaster, proposal.Origin));
        }
        return false;
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
        Assert.False(new SingleFlagScreening().HasUntriedPromising(State(catalog, policy, trials, budget: 1000)));
        Assert.All(trials, t => Assert.Contains(Assert.Single(t.Flags), SingleFlagScreening.Promising));
        // The full screening goes on into the rest of the catalog.
        var more = await new SingleFlagScreening().ProposeAsync(State(catalog, policy, trials, budget: 1000), 1, CancellationToken.None);
        Assert.DoesNotContain(Assert.Single(Assert.Single(more).Flags), SingleFlagScreening.Promising);
    }

    [Theory]
    [InlineData(nameof(SpeedupDecision.Faster), true)]
    [InlineData(nameof(SpeedupDecision.NotFaster), false)]
    public async Task Mutation_StartsFromElites_ParametersOnlyFromConfidentWinners(string decisionName, bool confident)
    {
        var decision = Enum.Parse<SpeedupDecision>(decisionName);
        var (catalog, policy) = await GccAsync();
        // A 5% point estimate: an elite to mutate from (exploration), but noise to parameter tuning.
        var trials = new List<TrialRecord> { Measured(1, ["-funroll-loops"], 1.05, decision) };
        var state = State(catalog, policy, trials, budget: 8);

        var mutation = Assert.Single(await new GroupMutation().ProposeAsync(state, 1, CancellationToken.None));
        Assert.StartsWith("mutation of trial 1", mutation.Rationale!, StringComparison.Ordinal);

        var parameters = Assert.Single(await new ParameterTuning().ProposeAsync(state, 1, CancellationToken.None));
        Assert.Equal(confident, parameters.Flags.Contains("-funroll-loops"));
        Assert.Equal(confident, parameters.Rationale!.EndsWith("on top of trial 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mutation_WithoutAnElite_StartsFromTheBaseline()
    {
        var (catalog, policy) = await GccAsync();
        var state = State(catalog, policy, [Measured(1, ["-funroll-loops"], 1.002, SpeedupDecision.NotFaster)], budget: 8);
        var mutation = Assert.Single(await new GroupMutation().ProposeAsync(state, 1, CancellationToken.None));
        Assert.Equal("random group of flag flips", mutation.Rationale);
    }

    [Fact]
    public async Task Mutation_DrawsMostFlipsFromEditsShownToChangeTheProgram_FromSearchRules4()
    {
        var (catalog, policy) = await GccAsync();
        string[] effective = ["-funroll-loops", "-fno-gcse", "-ftracer", "-fno-code-hoisting", "-fno-if-conversion2"];
        var trials = effective.Select((flag, i) => Measured(i + 1, [flag], 1.0, SpeedupDecision.NotFaster)).ToList();
        // Two that built the baseline's binaries again, and one whose output was wrong: none of them counts.
        trials.Add(Measured(6, ["-frounding-math"], 1.0, SpeedupDecision.NotFaster) with { ReusedFrom = 0, BuildStatus = BuildStatus.Reused });
        trials.Add(Measured(7, ["-fno-semantic-interposition"], 1.0, SpeedupDecision.NotFaster) with { ReusedFrom = 0, BuildStatus = BuildStatus.Reused });
        trials.Add(Measured(8, ["-fno-tree-vectorize"], 1.0, SpeedupDecision.NotFaster) with { OutputCheck = OutputCheckStatus.Differs, Verdict = null });
        var state = State(catalog, policy, trials, budget: 200);
        Assert.Equal(effective.ToHashSet(), state.EffectiveUnits);

        async Task<double> EffectiveShare(bool prefer)
        {
            var flips = (await new GroupMutation(prefer).ProposeAsync(state, 40, CancellationToken.None)).SelectMany(p => p.Flags).ToList();
            Assert.True(flips.Count >= 40, $"{flips.Count} flips");
            return flips.Count(effective.Contains) / (double)flips.Count;
        }

        // About three in four drawn from the five (repeats of a flag in one set collapse); from the whole catalog, a few.
        Assert.InRange(await EffectiveShare(prefer: true), 0.5, 1.0);
        Assert.InRange(await EffectiveShare(prefer: false), 0.0, 0.2);
    }

    [Fact]
    public async Task Edits_that_alone_built_the_baselines_binaries_are_not_proposed_again_in_groups()
    {
        var (catalog, policy) = await GccAsync();
        var noOps = CatalogEdits.Flips(State(catalog, policy, [], budget: 8)).Take(40).Select(e => e.Arguments).ToList();
        var trials = noOps.Select((flags, i) => Measured(i + 1, flags, 1.0, SpeedupDecision.NotFaster) with { BuildStatus = BuildStatus.Reused, ReusedFrom = 0 }).ToList();
        trials.Add(Measured(41, ["-funroll-loops"], 1.0, SpeedupDecision.NotFaster));
        var state = State(catalog, policy, trials, budget: 100);
        var noOpKeys = noOps.Select(f => string.Join(' ', f)).ToHashSet();

        // A tried set plus no-op edits, or no-op edits alone, would rebuild a binary already known.
        Assert.True(state.WasTried([noOps[0][0], noOps[1][0]]));
        Assert.True(state.WasTried(["-funroll-loops", noOps[2][0]]));
        Assert.False(state.WasTried(["-fsome-untried-edit", noOps[2][0]]));

        var proposals = (await new GroupMutation().ProposeAsync(state, 20, CancellationToken.None))
            .Concat(await RandomSearch.Groups().ProposeAsync(state, 20, CancellationToken.None)).ToList();
        Assert.NotEmpty(proposals);
        Assert.All(proposals, p => Assert.DoesNotContain(FlagUnit.Split(p.Flags), u => noOpKeys.Contains(u.Display)));
    }

    [Theory]
    [InlineData("-funroll-loops", true)]
    [InlineData("-flto=auto", false)]
    public async Task ParameterTuning_ProposesUnrollerParametersOnlyOnTopOfUnrolling(string winnerFlag, bool unrolls)
    {
        var (catalog, policy) = await GccAsync();
        // Without -funroll-loops gcc's RTL unroller does not run: its parameters would rebuild the same binaries.
        var state = State(catalog, policy, [Measured(1, [winnerFlag], 1.2, SpeedupDecision.Faster)], budget: 100);
        var proposals = await new ParameterTuning(perRace: int.MaxValue).ProposeAsync(state, 100, CancellationToken.None);
        string[] unroller = ["--param=max-unroll-times=", "--param=max-unrolled-insns=", "--param=max-average-unrolled-insns="];
        Assert.Equal(unrolls, proposals.Any(p => p.Flags.Any(f => unroller.Any(f.StartsWith))));
        Assert.Contains(proposals, p => p.Flags.Any(f => f.StartsWith("--param=max-inline-insns-auto=", StringComparison.Ordinal)));
        Assert.All(proposals, p => Assert.Contains(winnerFlag, p.Flags));
    }

    [Fact]
    public async Task ParameterTuning_gives_a_race_at_most_a_few_variants_of_one_start()
    {
        var (catalog, policy) = await GccAsync();
        var winner = Measured(1, ["-funroll-loops"], 1.2, SpeedupDecision.Faster);
        var state = State(catalog, policy, [winner], budget: 100);
        var first = await new ParameterTuning().ProposeAsync(state, 100, CancellationToken.None);
        Assert.Equal(ParameterTuning.PerRace, first.Count);

        // Two variants handed out to this race (one of them settled as a twin, still pending), and another start's: one more fits.
        var pending = new HashSet<string> { first[0].Key, first[1].Key, "-fno-gcse --param=max-unroll-times=16" };
        var next = await new ParameterTuning().ProposeAsync(state with { Pending = pending }, 100, CancellationToken.None);
        Assert.Equal(first[2].Key, Assert.Single(next).Key);

        // Once their trials are back (the next race), the variants count no more.
        var back = first.Take(2).Select((c, i) => Measured(2 + i, c.Flags, 1.0, SpeedupDecision.NotFaster) with { BuildStatus = BuildStatus.Reused, ReusedFrom = 1 }).ToList();
        var later = await new ParameterTuning().ProposeAsync(State(catalog, policy, [winner, .. back], budget: 100) with { Pending = pending }, 100, CancellationToken.None);
        Assert.Equal(ParameterTuning.PerRace, later.Count);
        // The first rules, which older ledgers replay by, take any number.
        Assert.True((await ParameterTuning.By(1).ProposeAsync(state, 100, CancellationToken.None)).Count > ParameterTuning.PerRace);
    }

    [Fact]
    public async Task A_parameter_that_built_its_starts_binaries_again_is_not_tuned_again_on_any_start()
    {
        var (catalog, policy) = await GccAsync();
        var calibration = new TrialRecord
        {
            Trial = 0, Phase = TrialPhase.Calibration, Flags = [], Origin = "calibration", BuildStatus = BuildStatus.Ok,
            OutputCheck = OutputCheckStatus.Equal, BinaryHash = "baseline",
        };
        var winner = Measured(1, ["-funroll-loops"], 1.2, SpeedupDecision.Faster);
        // On top of the winner: one parameter built its binaries again (inert), another changed them.
        var inert = Measured(2, ["-funroll-loops", "--param=max-inline-insns-auto=60"], 1.2, SpeedupDecision.Faster) with { BuildStatus = BuildStatus.Reused, ReusedFrom = 1, BinaryHash = "hash1" };
        var active = Measured(3, ["-funroll-loops", "--param=max-unroll-times=16"], 1.1, SpeedupDecision.NotFaster);
        // On the baseline alone: a parameter that built the baseline's binaries.
        var inertAlone = Measured(4, ["--param=early-inlining-insns=28"], 1.0, SpeedupDecision.NotFaster) with { BuildStatus = BuildStatus.Reused, ReusedFrom = 0, BinaryHash = "baseline" };
        var state = State(catalog, policy, [calibration, winner, inert, active, inertAlone], budget: 100);

        Assert.Equal(new HashSet<string> { "max-inline-insns-auto", "early-inlining-insns" }, state.InertParameters.ToHashSet());
        var proposals = await new ParameterTuning(perRace: int.MaxValue).ProposeAsync(state, 100, CancellationToken.None);
        Assert.DoesNotContain(proposals, p => p.Flags.Any(f => f.StartsWith("--param=max-inline-insns-auto=", StringComparison.Ordinal) || f.StartsWith("--param=early-inlining-insns=", StringComparison.Ordinal)));
        Assert.Contains(proposals, p => p.Flags.Contains("--param=max-unroll-times=4"));
        // The first rules, which older ledgers replay by, still propose them.
        Assert.Contains(await ParameterTuning.By(1).ProposeAsync(state, 100, CancellationToken.None), p => p.Flags.Any(f => f.StartsWith("--param=max-inline-insns-auto=", StringComparison.Ordinal)));
    }

    private static TrialRecord Unproven(int trial, IReadOnlyList<string> flags, double speedup) =>
        Measured(trial, flags, speedup, SpeedupDecision.Inconclusive) with
        {
            Verdict = new SpeedupVerdict(speedup, speedup - 0.03, speedup + 0.03, 0.95, SpeedupDecision.Inconclusive, 8) { MinEffect = 0.01 },
        };

    [Fact]
    public async Task Promising_combination_stacks_the_best_unproven_estimates_and_skips_clashing_options()
    {
        var (catalog, policy) = await GccAsync();
        var trials = new List<TrialRecord>
        {
            Unproven(1, ["-fno-tree-ch"], 1.030),
            Unproven(2, ["-ftracer"], 1.025),
            Unproven(3, ["-fno-gcse"], 1.005), // under the minimum effect: left out
            Unproven(4, ["-O2"], 1.020),
            Unproven(5, ["-Os"], 1.015), // another level: clashes with -O2
            Unproven(6, ["-fipa-pta"], 1.012) with { Benchmarks = [new BenchmarkMeasurement { Benchmark = "b", BaselineSeconds = [1.0], CandidateSeconds = [1.03], Verdict = new SpeedupVerdict(0.97, 0.95, 0.99, 0.95, SpeedupDecision.Slower, 8) }] },
            Measured(7, ["-fno-plt"], 0.97, SpeedupDecision.Slower),
        };
        var state = State(catalog, policy, trials, budget: 40);
        var proposals = await new PromisingCombination().ProposeAsync(state, 10, CancellationToken.None);
        Assert.Equal([["-fno-tree-ch", "-ftracer"], ["-fno-tree-ch", "-ftracer", "-O2"]], proposals.Select(p => p.Flags).ToList());
        Assert.All(proposals, p => Assert.Equal("combine-promising", p.Origin));

        // Once the pair is tried, the next proposal is the larger set.
        trials.Add(Unproven(8, ["-fno-tree-ch", "-ftracer"], 1.0) with { Verdict = new SpeedupVerdict(1.0, 0.98, 1.02, 0.95, SpeedupDecision.NotFaster, 10) });
        var next = Assert.Single(await new PromisingCombination().ProposeAsync(State(catalog, policy, trials, budget: 40), 1, CancellationToken.None));
        Assert.Equal(["-fno-tree-ch", "-ftracer", "-O2"], next.Flags);
    }

    [Fact]
    public async Task The_bandit_combines_unproven_estimates_under_the_current_rules_only()
    {
        var (catalog, policy) = await GccAsync();
        async Task<List<string>> OriginsAfterTheOpening(int rules)
        {
            var bandit = (StrategyBandit)SearchDriver.Sources(SearchMode.Bandit, agents: null, rules: rules)[0];
            var trials = new List<TrialRecord> { Unproven(1, ["-fno-tree-ch"], 1.03), Unproven(2, ["-ftracer"], 1.025) };
            var origins = new List<string>();
            for (int i = 0; i < 12; i++)
            {
                var proposal = Assert.Single(await bandit.ProposeAsync(State(catalog, policy, trials, budget: 14), 1, CancellationToken.None));
                origins.Add(proposal.Origin);
                trials.Add(Measured(trials.Count + 1, proposal.Flags, 1.0, SpeedupDecision.NotFaster, proposal.Origin));
            }
            return origins;
        }
        Assert.Contains("combine-promising", await OriginsAfterTheOpening(SearchDriver.CurrentRules));
        Assert.DoesNotContain("combine-promising", await OriginsAfterTheOpening(2));
    }

    [Fact]
    public async Task Link_time_sets_that_cost_more_than_the_rest_stop_at_their_share_of_the_build_time()
    {
        var (catalog, policy) = await GccAsync();
        List<TrialRecord> Trials(double ltoSeconds) =>
        [
            Measured(1, ["-flto=auto"], 1.10, SpeedupDecision.Faster) with { BuildSeconds = ltoSeconds },
            Measured(2, ["-funroll-loops"], 1.05, SpeedupDecision.Faster) with { BuildSeconds = 3 },
            Measured(3, ["-fno-plt"], 1.0, SpeedupDecision.NotFaster) with { BuildSeconds = 3 },
            Measured(4, ["-ftracer"], 1.0, SpeedupDecision.NotFaster) with { BuildSeconds = 3 },
        ];
        async Task<Candidate> First(int rules, List<TrialRecord> trials) =>
            Assert.Single(await ((StrategyBandit)SearchDriver.Sources(SearchMode.Bandit, agents: null, rules: rules)[0])
                .ProposeAsync(State(catalog, policy, trials, budget: 40), 1, CancellationToken.None));

        // A hot-file session: the one LTO build (a whole-project rebuild, 12 s) took over half the build time.
        var hot = Trials(ltoSeconds: 12);
        Assert.True(State(catalog, policy, hot, budget: 40).WholeProjectBuildsHadTheirShare);
        var capped = await First(SearchDriver.CurrentRules, hot);
        Assert.DoesNotContain("-flto=auto", capped.Flags);
        // The rules of older ledgers combine the two winners, LTO and all.
        Assert.Equal(["-flto=auto", "-funroll-loops"], (await First(2, hot)).Flags);
        // Every build a full one (project scope): LTO costs what the rest do, and is combined.
        var project = Trials(ltoSeconds: 3.5);
        Assert.False(State(catalog, policy, project, budget: 40).WholeProjectBuildsHadTheirShare);
        Assert.Equal(["-flto=auto", "-funroll-loops"], (await First(SearchDriver.CurrentRules, project)).Flags);
    }
}
