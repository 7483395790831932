using AutoPass.Core.Measurement;
using AutoPass.Core.Racing;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Statistics;

namespace AutoPass.Core.Tests.Racing;

/// <summary>The real race loop, driven through its seam on a simulated machine: who leaves, who is carried, with which pairs.</summary>
public sealed class RaceLoopTests
{
    private static readonly StatisticsOptions Options = new(Resamples: 500);

    /// <summary>σ 2% per run, no spikes, no drift: clear losers leave at the first cut, small gains stay undecided.</summary>
    private static readonly NoisyMachine Machine = new(0.02, 0, 0, Drift: 0);

    /// <summary>Six clear losers and two small gains, in a race of eight: two is the most a race of eight carries on.</summary>
    private static readonly double[] Speedups = [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 1.04, 1.04];

    private static RacePlan Plan => new(RacePlan.Screening(Options), Machine.PairSpread);

    private const int Seed = 11;

    private static Task<IReadOnlyList<RaceOutcome>> RaceAsync(SimulatedMachine simulated, IReadOnlyList<RaceEntrant> entrants, Func<int, bool>? mayCarry) =>
        simulated.RaceAsync(entrants, Plan, Seed, mayCarry);

    [Fact]
    public async Task The_last_few_undecided_of_a_race_are_carried_on_with_their_pairs_and_finish_in_the_next_race()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        var entrants = Speedups.Select((s, i) => new RaceEntrant(simulated.Entrant(i, s))).ToList();

        var outcomes = await RaceAsync(simulated, entrants, mayCarry: _ => true);

        // The losers leave at the first cut; the two left undecided (a quarter of eight) go on at once, with the cut's pairs.
        Assert.All(outcomes.Take(6), o => Assert.Equal(RaceExit.Dropped, Assert.IsType<RaceOutcome.Measured>(o).Exit));
        var carried = outcomes.Skip(6).Select(o => Assert.IsType<RaceOutcome.Carried>(o)).ToList();
        Assert.All(carried, c => Assert.Equal(RaceLooks.FewestPairs, Assert.Single(c.Pairs).Count));

        // In the next race (without carrying) they finish, their pairs from the first race counting towards their verdicts.
        var next = await RaceAsync(simulated, carried.Select((c, i) => new RaceEntrant(simulated.Entrant(6 + i, Speedups[6 + i]), c.Pairs))
            .Append(new RaceEntrant(simulated.Entrant(8, 0.9))).ToList(), mayCarry: null);
        Assert.All(next.Take(2), o => Assert.True(Assert.IsType<RaceOutcome.Measured>(o).Result.Verdict.Benchmarks[0].Verdict!.Pairs > RaceLooks.FewestPairs));
    }

    [Fact]
    public async Task Without_a_next_race_nobody_is_carried_and_one_not_allowed_on_keeps_the_rest_running()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        var entrants = Speedups.Select((s, i) => new RaceEntrant(simulated.Entrant(i, s))).ToList();

        Assert.All(await RaceAsync(simulated, entrants, mayCarry: null), o => Assert.IsType<RaceOutcome.Measured>(o));
        // Carrying is all or none: one of the last few that may not go on keeps every one of them in this race.
        Assert.All(await RaceAsync(simulated, entrants, mayCarry: entrant => entrant != 7), o => Assert.IsType<RaceOutcome.Measured>(o));
    }

    [Fact]
    public async Task A_race_of_one_is_the_sequential_test_of_that_candidate()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        var outcome = Assert.Single(await simulated.RaceAsync([new RaceEntrant(simulated.Entrant(0, 1.5))], RacePlan.ForOne(Options), Seed));

        var measured = Assert.IsType<RaceOutcome.Measured>(outcome);
        Assert.Equal(SpeedupDecision.Faster, measured.Result.Verdict.Decision);
        // Decided at the screening's first look, as the sequential test of one candidate is.
        Assert.Equal(RacePlan.Screening(Options).FirstLook, measured.Result.Verdict.Benchmarks[0].Verdict.Pairs);
    }

    [Fact]
    public async Task A_race_the_time_budget_stops_before_its_first_cut_times_nobody()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        int rounds = 0;
        var outcomes = await simulated.RaceAsync(Speedups.Select((s, i) => new RaceEntrant(simulated.Entrant(i, s))).ToList(), Plan, Seed,
            timeUp: () => ++rounds > RaceLooks.FewestPairs - 1);

        Assert.All(outcomes, o => Assert.IsType<RaceOutcome.Untimed>(o));
    }

    [Fact]
    public async Task A_race_on_a_machine_slower_than_planned_keeps_the_entrants_its_rounds_can_still_time()
    {
        // Eight entrants of runs of about a second, and 17 s left: the warm-up and two rounds of nine arms use it up
        // before the third round, where the first cut would come.
        const double budget = 17;
        double[] nulls = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        async Task<IReadOnlyList<RaceOutcome>> RaceAsync(bool fitToTimeLeft)
        {
            using var simulated = new SimulatedMachine(Machine, Seed);
            return await simulated.RaceAsync(nulls.Select((s, i) => new RaceEntrant(simulated.Entrant(i, s))).ToList(), Plan, Seed,
                timeUp: () => simulated.Elapsed >= budget, timeLeft: fitToTimeLeft ? () => TimeSpan.FromSeconds(budget - simulated.Elapsed) : null);
        }

        // Not fitted, the race ends with nobody timed.
        Assert.All(await RaceAsync(fitToTimeLeft: false), o => Assert.IsType<RaceOutcome.Untimed>(o));
        // Fitted after its first round (10 s used, room for two more rounds of three arms), the first two entered are
        // timed and the last six leave untimed.
        var fitted = await RaceAsync(fitToTimeLeft: true);
        Assert.All(fitted.Take(2), o => Assert.IsType<RaceOutcome.Measured>(o));
        Assert.All(fitted.Skip(2), o => Assert.IsType<RaceOutcome.Untimed>(o));
    }

    [Fact]
    public async Task A_confirmation_runs_all_its_pairs_whatever_the_looks_would_say()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        var plan = RacePlan.ForConfirmation(Options);

        var outcome = Assert.Single(await simulated.RaceAsync([new RaceEntrant(simulated.Entrant(0, 1.5))], plan, Seed));

        // A 1.5x would be decided at the first look; a confirmation takes its estimate over every pair.
        var measured = Assert.IsType<RaceOutcome.Measured>(outcome);
        Assert.Equal(Options.MaxPairs, measured.Result.Verdict.Benchmarks[0].Verdict.Pairs);
        Assert.Equal(SpeedupDecision.Faster, measured.Result.Verdict.Decision);
    }
}
