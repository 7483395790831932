using AutoPass.Core.Racing;

namespace AutoPass.Core.Tests.Racing;

public class RacePlanTests
{
    [Fact]
    public void A_race_takes_another_entrant_only_while_its_rounds_can_still_reach_the_first_cut()
    {
        // Runs of 0.5 s, entries of 2 s: with 3 entrants, a fourth needs 2 s to enter and 3 rounds of 5 arms (7.5 s).
        Assert.True(RacePlan.HasRoomForAnother(TimeSpan.FromSeconds(9.5), enterSeconds: 2, entrants: 3, armSeconds: 0.5));
        Assert.False(RacePlan.HasRoomForAnother(TimeSpan.FromSeconds(9.4), enterSeconds: 2, entrants: 3, armSeconds: 0.5));
        // Far from the end the rule never binds.
        Assert.True(RacePlan.HasRoomForAnother(TimeSpan.FromMinutes(2), enterSeconds: 2, entrants: 15, armSeconds: 0.5));
        // Over the budget: no room.
        Assert.False(RacePlan.HasRoomForAnother(TimeSpan.FromSeconds(-1), enterSeconds: 0, entrants: 1, armSeconds: 0.01));
    }
}
