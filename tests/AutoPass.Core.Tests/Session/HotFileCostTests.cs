using AutoPass.Core.Build;
using AutoPass.Core.Compilers.Profiling;
using AutoPass.Core.Session;

namespace AutoPass.Core.Tests.Session;

/// <summary>
/// Which hot files a candidate's build is worth: a file stays when the share of the run time tuned per second of a
/// candidate rises with it. Shares, compile seconds and fixed costs are made up, with answers worked by hand.
/// </summary>
public sealed class HotFileCostTests
{
    private static readonly HotFile[] Pool = [new("closure.cc", 0.30), new("options.cc", 0.05), new("state.cc", 0.15), new("table.cc", 0.04)];

    [Fact]
    public void A_file_with_a_small_share_and_a_long_compile_is_left_out_and_a_quick_one_kept()
    {
        var seconds = new Dictionary<string, double> { ["closure.cc"] = 2, ["options.cc"] = 10, ["state.cc"] = 1, ["table.cc"] = 0.2 };

        // Timing 3 s, two slots on two cores (a compile's seconds over the slots): closure 0.30 in 4 s (0.075/s); options would make 0.35 in 9 s (0.039/s): out;
        // state 0.45 in 4.5 s (0.1/s): in; table 0.49 in 4.6 s (0.107/s): in.
        var pruned = HotFileCost.Prune(Pool, seconds, new HotFileCost.CandidateCost(LinkSeconds: 0, TimingSeconds: 3, Cores: 2), slots: 2);

        Assert.Equal(["closure.cc", "state.cc", "table.cc"], pruned.Kept.Select(f => f.File));
        var (file, compile) = Assert.Single(pruned.LeftOut);
        Assert.Equal("options.cc", file.File);
        Assert.Equal(10, compile);
    }

    [Fact]
    public void When_timing_a_candidate_dwarfs_its_compiles_every_file_of_the_pool_is_kept()
    {
        var seconds = new Dictionary<string, double> { ["closure.cc"] = 2, ["options.cc"] = 10, ["state.cc"] = 1, ["table.cc"] = 0.2 };

        // Fixed 300 s (long runs): options costs 5 s more for a sixth more share.
        var pruned = HotFileCost.Prune(Pool, seconds, new HotFileCost.CandidateCost(LinkSeconds: 0, TimingSeconds: 300, Cores: 2), slots: 2);

        Assert.Equal(Pool, pruned.Kept);
        Assert.Empty(pruned.LeftOut);
    }

    [Fact]
    public void The_hottest_file_is_kept_however_long_it_takes_to_compile()
    {
        var seconds = new Dictionary<string, double> { ["closure.cc"] = 500, ["options.cc"] = 0.1, ["state.cc"] = 0.1, ["table.cc"] = 0.1 };

        var pruned = HotFileCost.Prune(Pool, seconds, new HotFileCost.CandidateCost(LinkSeconds: 0, TimingSeconds: 1, Cores: 1), slots: 1);

        Assert.Equal("closure.cc", pruned.Kept[0].File);
        Assert.Equal(4, pruned.Kept.Count);
    }

    [Fact]
    public void One_hot_file_is_built_two_candidates_at_once_when_the_second_tree_pays_back_within_the_budget()
    {
        // lz4-like: one 3 s compile, 0.2 s link, 3.6 s of timing, a 10 s whole-project build (5 s on two cores).
        HotFile[] pool = [new("lz4hc.c", 0.9)];
        var seconds = new Dictionary<string, double> { ["lz4hc.c"] = 3 };
        var cost = new HotFileCost.CandidateCost(LinkSeconds: 0.2, TimingSeconds: 3.6, Cores: 2);

        // One slot: 3.2 + 3.6 = 6.8 s a candidate, 29.4 in 200 s. Two: the pair's builds take 3.2 s at once, 1.6 + 3.6 =
        // 5.2 s a candidate, (200 - 5) / 5.2 = 37.5.
        var chosen = HotFileCost.Choose(pool, seconds, cost, wholeBuildSeconds: 10, [1, 2], new HotFileCost.SearchHorizon(200, 200));

        Assert.Equal(2, chosen.Slots);
        Assert.Equal(5.2, chosen.CandidateSeconds, 6);
        Assert.Equal(5, chosen.ExtraTreeSeconds, 6);
    }

    [Fact]
    public void Hot_files_that_keep_both_cores_busy_are_built_one_candidate_at_a_time_instead_of_paying_for_a_second_tree()
    {
        // re2c-like: four compiles of 2-3 s, whose one build already fills both cores; a 50 s whole-project build (25 s on two cores).
        HotFile[] pool = [new("closure.cc", 0.3), new("state.cc", 0.2), new("determinization.cc", 0.15), new("minimization.cc", 0.1)];
        var seconds = new Dictionary<string, double> { ["closure.cc"] = 3, ["state.cc"] = 2.5, ["determinization.cc"] = 2, ["minimization.cc"] = 2 };
        var cost = new HotFileCost.CandidateCost(LinkSeconds: 1, TimingSeconds: 2.5, Cores: 2);

        // One slot: max(3 + 1, 10.5 / 2) = 5.25 s of build; two: max(4, 2 x 10.5 / 2) / 2 = 5.25 s too, after 25 s of a second tree.
        var chosen = HotFileCost.Choose(pool, seconds, cost, wholeBuildSeconds: 50, [1, 2], new HotFileCost.SearchHorizon(200, 200));

        Assert.Equal(1, chosen.Slots);
        Assert.Equal(7.75, chosen.CandidateSeconds, 6);
        Assert.Equal(0, chosen.ExtraTreeSeconds);
        Assert.Equal(4, chosen.Kept.Count);
    }

    [Fact]
    public void When_the_trial_limit_binds_the_slots_that_take_the_least_time_are_chosen_and_without_a_time_limit_too()
    {
        HotFile[] pool = [new("kernel.c", 0.95)];
        var seconds = new Dictionary<string, double> { ["kernel.c"] = 4 };
        var cost = new HotFileCost.CandidateCost(LinkSeconds: 0, TimingSeconds: 1, Cores: 2);

        // Five candidates: one slot 5 x 5 = 25 s; two 5 + 5 x 3 = 20 s (a 10 s whole build over two cores).
        Assert.Equal(2, HotFileCost.Choose(pool, seconds, cost, 10, [1, 2], new HotFileCost.SearchHorizon(5, 3600)).Slots);
        Assert.Equal(2, HotFileCost.Choose(pool, seconds, cost, 10, [1, 2], new HotFileCost.SearchHorizon(5, null)).Slots);
        // Two candidates: one slot 10 s; two 5 + 6 = 11 s.
        Assert.Equal(1, HotFileCost.Choose(pool, seconds, cost, 10, [1, 2], new HotFileCost.SearchHorizon(2, null)).Slots);
        // The user's slots stand whatever they cost.
        Assert.Equal(3, HotFileCost.Choose(pool, seconds, cost, 1000, [3], new HotFileCost.SearchHorizon(2, null)).Slots);
    }

    [Fact]
    public void Ninja_log_durations_are_per_output_with_the_latest_line_winning_and_odd_lines_skipped()
    {
        string dir = Directory.CreateTempSubdirectory("autopass-ninja-log-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, ".ninja_log"),
                "# ninja log v5\n" +
                "0\t1500\t0\tCMakeFiles/app.dir/a.c.o\t1f\n" +
                "10\t260\t0\tapp\t2e\n" +
                "2000\t2750\t0\tCMakeFiles/app.dir/a.c.o\t3d\n" +
                "garbage line\n" +
                "900\t100\t0\tbackwards.o\t4c\n");

            var durations = NinjaLog.Durations(dir);

            Assert.Equal(0.75, durations[Path.Combine(dir, "CMakeFiles", "app.dir", "a.c.o")]);
            Assert.Equal(0.25, durations[Path.Combine(dir, "app")]);
            Assert.Equal(2, durations.Count);
            Assert.Empty(NinjaLog.Durations(Path.Combine(dir, "no-such-tree")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
