using System.Diagnostics;
using AutoPass.Core.Racing;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Statistics;

namespace AutoPass.Core.Tests.Racing;

/// <summary>One race's field on a simulated machine: entries in order, twins, and the carried entrants handed from card to card.</summary>
public sealed class RaceCardTests
{
    private static readonly StatisticsOptions Options = new(Resamples: 500);

    /// <summary>σ 2% per run, no spikes, no drift: clear losers leave at the first cut, small gains stay undecided.</summary>
    private static readonly NoisyMachine Machine = new(0.02, 0, 0, Drift: 0);

    /// <summary>Six clear losers and two small gains: two is the most a race of eight carries on.</summary>
    private static readonly double[] Speedups = [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 1.04, 1.04];

    private static RacePlan Plan => new(RacePlan.Screening(Options), Machine.PairSpread);

    private const int Seed = 11;

    /// <summary>A card of race <paramref name="race"/> with the eight entrants (entries "e0".."e7") and an entry settled without timing ("settled") after the third.</summary>
    private static RaceCard<string> CardOfEight(SimulatedMachine simulated, int race, IReadOnlyList<CarriedEntrant<string>> carried)
    {
        var card = new RaceCard<string>(race, carried, armSeconds: 0);
        for (int i = 0; i < Speedups.Length; i++)
        {
            Assert.True(card.Enter($"e{i}", Stopwatch.StartNew(), $"binary-{i}", simulated.Entrant(i, Speedups[i])));
            if (i == 2) Assert.False(card.Enter("settled", Stopwatch.StartNew()));
        }
        return card;
    }

    [Fact]
    public async Task The_entrants_a_race_carries_on_come_out_of_its_card_and_finish_first_in_the_next_race()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        var first = await CardOfEight(simulated, race: 1, carried: []).RunAsync(simulated.Track, Plan, Seed, () => false, CancellationToken.None, carry: () => true, raceSize: 8);

        // The losers leave at the first cut, in the order entered with the settled entry among them; the two small gains go on.
        Assert.Equal(["e0", "e1", "e2", "settled", "e3", "e4", "e5"], first.Finished.Select(f => f.Entry));
        Assert.Null(first.Finished[3].Outcome);
        Assert.Equal(["e6", "e7"], first.CarriedOn.Select(c => c.Entry));
        Assert.All(first.CarriedOn, c => Assert.Equal((1, RaceLooks.FewestPairs), (c.EnteredRace, c.Entrant.Carried![0].Count)));

        var next = new RaceCard<string>(race: 2, first.CarriedOn, armSeconds: 0);
        next.Enter("fresh", Stopwatch.StartNew(), "binary-fresh", simulated.Entrant(8, 0.9));
        var second = await next.RunAsync(simulated.Track, Plan, Seed + 1, () => false, CancellationToken.None);

        Assert.Equal([("e6", 1), ("e7", 1), ("fresh", 2)], second.Finished.Select(f => (f.Entry, f.EnteredRace)));
        Assert.Empty(second.CarriedOn);
        Assert.All(second.Finished.Take(2), f => Assert.True(Assert.IsType<RaceOutcome.Measured>(f.Outcome).Result.Verdict.Benchmarks[0].Verdict!.Pairs > RaceLooks.FewestPairs));
    }

    [Fact]
    public async Task A_twin_is_timed_once_as_its_entrant_and_holds_it_in_this_race()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        var card = CardOfEight(simulated, race: 1, carried: []);
        Assert.False(card.Enter("twin of e7", Stopwatch.StartNew(), "binary-7", simulated.Entrant(7, Speedups[7])));
        Assert.Equal(8, card.Entrants);

        var result = await card.RunAsync(simulated.Track, Plan, Seed, () => false, CancellationToken.None, carry: () => true, raceSize: 8);

        // Carrying is all or none, and an entrant with a twin may not go on: the twin's record comes from it now.
        Assert.Empty(result.CarriedOn);
        var twin = result.Finished[^1];
        Assert.Equal(("twin of e7", (RaceOutcome?)null), (twin.Entry, twin.Outcome));
        Assert.Equal("e7", result.Finished[twin.TwinOf!.Value].Entry);
        Assert.IsType<RaceOutcome.Measured>(result.Finished[twin.TwinOf.Value].Outcome);
    }

    [Fact]
    public async Task A_race_with_no_new_entrant_leaves_the_carried_ones_waiting_when_another_may_follow()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        var first = await CardOfEight(simulated, race: 1, carried: []).RunAsync(simulated.Track, Plan, Seed, () => false, CancellationToken.None, carry: () => true, raceSize: 8);

        var empty = new RaceCard<string>(race: 2, first.CarriedOn, armSeconds: 0);
        var waiting = await empty.RunAsync(simulated.Track, Plan, Seed + 1, () => false, CancellationToken.None, carry: () => true, raceSize: 8);
        Assert.Empty(waiting.Finished);
        Assert.Equal(first.CarriedOn, waiting.CarriedOn);

        // The search ended: no race follows, so the last card runs them to their verdicts.
        var last = await new RaceCard<string>(race: 3, waiting.CarriedOn, armSeconds: 0).RunAsync(simulated.Track, Plan, Seed + 2, () => false, CancellationToken.None);
        Assert.Equal([("e6", 1), ("e7", 1)], last.Finished.Select(f => (f.Entry, f.EnteredRace)));
        Assert.All(last.Finished, f => Assert.IsType<RaceOutcome.Measured>(f.Outcome));
    }

    [Fact]
    public void A_race_near_the_end_of_the_time_left_has_no_room_for_another_entrant()
    {
        using var simulated = new SimulatedMachine(Machine, Seed);
        // One run of every benchmark takes 10 s: another entrant needs its rounds to the first cut, with the baseline's and the others'.
        var card = new RaceCard<string>(race: 1, carried: [], armSeconds: 10);
        Assert.True(card.HasRoomForAnother(TimeSpan.FromSeconds(1)));
        card.Enter("e0", new Stopwatch(), "binary-0", simulated.Entrant(0, 1));
        card.Enter("e1", new Stopwatch(), "binary-1", simulated.Entrant(1, 1));

        int needed = RaceLooks.FewestPairs * (2 + 2) * 10;
        Assert.True(card.HasRoomForAnother(TimeSpan.FromSeconds(needed)));
        Assert.False(card.HasRoomForAnother(TimeSpan.FromSeconds(needed - 1)));
        Assert.True(card.HasRoomForAnother(timeLeft: null));
    }
}
