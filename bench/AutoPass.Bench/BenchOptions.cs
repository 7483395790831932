using System.Globalization;
using AutoPass.Core.Search;

namespace AutoPass.Bench;

/// <summary>Command-line settings of a benchmark run.</summary>
internal sealed record BenchOptions(IReadOnlyList<string> Programs, int Trials, double MaxMinutesPerSession, int IndependentPairs, int Seed, string? WorkDir, string? Output, IReadOnlyList<string>? LandscapeEdits = null,
    int RaceSize = 8, bool CompareOneAtATime = false, bool AaStudy = false, string? RealProjects = null, IReadOnlyList<string>? RealNames = null, bool RealCheck = false,
    bool Honesty = false, int BuildSlots = 0, string? WorkersStore = null)
{
    public static readonly string[] AllPrograms = ["dense_mm", "spmv", "stencil3d", "sort", "hash", "dp_lcs", "interp", "strsearch", "compress"];

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(AllPrograms, Trials: 12, MaxMinutesPerSession: 10, IndependentPairs: 30, Seed: 1, WorkDir: null, Output: null);
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--programs" => o with { Programs = value.Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--trials" => o with { Trials = int.Parse(value, CultureInfo.InvariantCulture) },
                "--minutes" => o with { MaxMinutesPerSession = double.Parse(value, CultureInfo.InvariantCulture) },
                "--pairs" => o with { IndependentPairs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--work" => o with { WorkDir = value },
                "--output" => o with { Output = value },
                "--race-size" => o with { RaceSize = int.Parse(value, CultureInfo.InvariantCulture) },
                // "yes": also run the search one candidate at a time (AutoPassRaceSize=1), side by side.
                "--one-at-a-time" => o with { CompareOneAtATime = value is "yes" or "true" },
                // "yes": the A/A study of sequential pairs, pairs beside a build, and duets (bench/results/aa-*.md).
                "--aa" => o with { AaStudy = value is "yes" or "true" },
                // "yes": tune each program, then recheck each claim independently after all sessions (bench/results/honesty.md).
                "--honesty" => o with { Honesty = value is "yes" or "true" },
                // A PostgreSQL connection string: one worker against two workers of one campaign (bench/results/workers.md).
                "--workers-throughput" => o with { WorkersStore = value },
                // A folder of clones, one subfolder per project of RealProjects.All: runs the real-project rows instead of the suite.
                "--real-projects" => o with { RealProjects = value },
                "--real-names" => o with { RealNames = value.Split(',', StringSplitOptions.RemoveEmptyEntries) },
                // "yes": with --real-projects, only check the clones, build each at -O3 and time one benchmark run (no tuning).
                "--real-check" => o with { RealCheck = value is "yes" or "true" },
                // AutoPassBuildSlots of the real-project sessions (0: the session chooses, at most one per core and 4; 1: one build at a time).
                "--build-slots" => o with { BuildSlots = int.Parse(value, CultureInfo.InvariantCulture) },
                // "prior": the screening's list of edits known to matter; or edits separated by commas.
                "--landscape" => o with { LandscapeEdits = value == "prior" ? SingleFlagScreening.Promising : value.Split(',', StringSplitOptions.RemoveEmptyEntries) },
                _ => throw new ArgumentException($"unknown option {args[i]}; options: --programs a,b --trials N --minutes M --pairs N --seed N --work DIR --output FILE --landscape prior|EDIT,EDIT --race-size N --one-at-a-time yes --aa yes --honesty yes --workers-throughput STORE --real-projects DIR --real-names lz4,xxhash --real-check yes --build-slots N"),
            };
            i++;
        }
        return o;
    }

    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoPass.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the AutoPass repository.");
    }
}
