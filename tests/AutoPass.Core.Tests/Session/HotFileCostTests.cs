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

        // Fixed 3 s, two slots: closure 0.30 in 4 s (0.075/s); options would make 0.35 in 9 s (0.039/s): out;
        // state 0.45 in 4.5 s (0.1/s): in; table 0.49 in 4.6 s (0.107/s): in.
        var pruned = HotFileCost.Prune(Pool, seconds, fixedSeconds: 3, slots: 2);

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
        var pruned = HotFileCost.Prune(Pool, seconds, fixedSeconds: 300, slots: 2);

        Assert.Equal(Pool, pruned.Kept);
        Assert.Empty(pruned.LeftOut);
    }

    [Fact]
    public void The_hottest_file_is_kept_however_long_it_takes_to_compile()
    {
        var seconds = new Dictionary<string, double> { ["closure.cc"] = 500, ["options.cc"] = 0.1, ["state.cc"] = 0.1, ["table.cc"] = 0.1 };

        var pruned = HotFileCost.Prune(Pool, seconds, fixedSeconds: 1, slots: 1);

        Assert.Equal("closure.cc", pruned.Kept[0].File);
        Assert.Equal(4, pruned.Kept.Count);
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
