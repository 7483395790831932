using AutoPass.Core.Check;
using AutoPass.Core.Evidence;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// The order minimization tries flags for removal: noise drops whichever flag it tries while the set still has two, so
/// the flag a measured part of the winner vouches for is tried last (and, being last, never removed).
/// </summary>
public class MinimizationOrderTests
{
    private static TrialRecord Screened(int trial, IReadOnlyList<string> flags, double speedup, TrialPhase phase = TrialPhase.Screen) => new()
    {
        Trial = trial,
        Phase = phase,
        Flags = flags,
        Origin = "screen",
        BuildStatus = BuildStatus.Ok,
        OutputCheck = OutputCheckStatus.Equal,
        Verdict = new SpeedupVerdict(speedup, speedup - 0.02, speedup + 0.02, 0.95, SpeedupDecision.NotFaster, 10),
    };

    [Fact]
    public void A_parameter_added_on_top_of_a_screened_winner_is_tried_before_the_winner_itself()
    {
        // lz4, bench run 4: the winner's own flag came first, was tried first, and noise removed it (0.982x, not confidently slower).
        string[] winner = ["-fno-early-inlining", "--param=max-inline-insns-auto=60"];
        var screened = new[] { Screened(19, ["-fno-early-inlining"], 1.029), Screened(47, winner, 1.030) };

        Assert.Equal(["--param=max-inline-insns-auto=60", "-fno-early-inlining"], WinnerMinimization.RemovalOrder(winner, screened));
    }

    [Fact]
    public void Flags_are_tried_from_the_least_vouched_for_to_the_best_and_unvouched_ones_keep_their_order()
    {
        string[] winner = ["-fa", "-fb", "-fc", "-fd", "-fe"];
        var screened = new[]
        {
            Screened(1, ["-fb"], 1.10),
            Screened(2, ["-fc", "-fd"], 1.02),
            // Not a part of the winner (-fz is not in it), the winner itself, and a minimization trial: none vouches.
            Screened(3, ["-fa", "-fz"], 1.50),
            Screened(4, winner, 1.20),
            Screened(5, ["-fe"], 1.30, TrialPhase.Minimize),
        };

        Assert.Equal(["-fa", "-fe", "-fc", "-fd", "-fb"], WinnerMinimization.RemovalOrder(winner, screened));
    }

    [Fact]
    public void Without_measured_parts_the_winners_order_stands()
    {
        string[] winner = ["-fx", "-fy", "-fz"];
        Assert.Equal(winner, WinnerMinimization.RemovalOrder(winner, [Screened(1, ["-fx", "-fy", "-fz"], 1.1)]));
    }
}
