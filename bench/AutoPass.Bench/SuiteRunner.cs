using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement;
using AutoPass.Core.Pinning;
using AutoPass.Core.Search;
using AutoPass.Core.Session;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Bench;

/// <summary>What one search pinned for one program, and how it fared when measured independently.</summary>
internal sealed record SearchOutcome(IReadOnlyList<string> Flags, string Outcome, int Trials, SpeedupVerdict? Independent = null, double WallSeconds = 0,
    AutoPass.Core.Evidence.SearchCost? Cost = null);

/// <param name="OneAtATime">The built-in search screening one candidate at a time (AutoPassRaceSize=1), when compared.</param>
internal sealed record BenchRow(string Program, SearchOutcome? Tuned = null, SearchOutcome? Random = null, SearchOutcome? OneAtATime = null);

internal static class SuiteRunner
{
    public static async Task<SearchOutcome> TuneAsync(string programs, string dir, string program, SearchMode mode, int raceSize, BenchOptions options, IDiagnosticSink sink) =>
        (await TuneWithResultAsync(programs, dir, program, mode, raceSize, options, sink)).Outcome;

    /// <param name="adjust">Settings of this row's own beyond the suite's (scope, generator), or null.</param>
    public static async Task<(SearchOutcome Outcome, SessionResult Result)> TuneWithResultAsync(string programs, string dir, string program, SearchMode mode, int raceSize,
        BenchOptions options, IDiagnosticSink sink, Func<TuningRequest, TuningRequest>? adjust = null)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var request = new TuningRequest
        {
            SourceDir = programs,
            OutputDir = Path.Combine(dir, "pinned"),
            IntermediateDir = Path.Combine(dir, "obj"),
            Benchmarks = [new BenchmarkSpec(program, [])],
            MaxTrials = options.Trials,
            MaxMinutes = options.MaxMinutesPerSession,
            Seed = options.Seed,
            Agents = AgentMode.Builtin,
            Search = mode,
            RaceSize = raceSize,
        };
        if (adjust is not null) request = adjust(request);
        var result = await new TuningSession(request, sink).RunAsync(CancellationToken.None);
        return (new SearchOutcome(result.Lock.Flags, result.Lock.Outcome, result.Lock.Trials, Cost: result.Findings.Cost), result);
    }

    /// <summary>A fresh build of -O3 and of the pinned flags, timed in interleaved pairs with a new seed.</summary>
    public static Task<SpeedupVerdict> MeasureIndependentlyAsync(string programs, string dir, string program, IReadOnlyList<string> flags, BenchOptions options) =>
        MeasureIndependentlyAsync(new CMakeSettings(programs), dir, program, options,
            (builder, tree) => builder.BuildAsync(["-O3", .. flags], tree, [program], "bench pinned", CancellationToken.None));

    /// <summary>Fresh trees: -O3, and the pinned set as <paramref name="buildPinned"/> builds it in the tree it is given; timed against each other.</summary>
    public static async Task<SpeedupVerdict> MeasureIndependentlyAsync(CMakeSettings settings, string dir, string program, BenchOptions options,
        Func<CMakeBuilder, string, Task<BuildOutcome>> buildPinned)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var builder = new CMakeBuilder(settings);
        var o3 = await builder.BuildAsync(["-O3"], Path.Combine(dir, "o3"), [program], "bench -O3", CancellationToken.None);
        var pinned = await buildPinned(builder, Path.Combine(dir, "pinned"));
        if (!o3.Succeeded || !pinned.Succeeded) throw new InvalidOperationException($"{program}: independent build failed\n{o3.Log}\n{pinned.Log}");
        return await MeasureAgainstO3Async(settings.SourceDir, program, o3, pinned, options.IndependentPairs, options.Seed + 1000);
    }

    /// <summary>Times <paramref name="candidate"/> against <paramref name="o3"/> in a fixed number of interleaved pairs.</summary>
    public static async Task<SpeedupVerdict> MeasureAgainstO3Async(string programs, string program, BuildOutcome o3, BuildOutcome candidate, int pairs, int seed)
    {
        var statistics = new StatisticsOptions(Seed: seed);
        var measurement = new PairedMeasurement(new ProgramRunner(pinToCore: true), seed);
        var pair = new ExecutablePair(new BenchmarkSpec(program, []), o3.Executables[program], candidate.Executables[program], programs, TimeSpan.FromMinutes(2));
        var result = await measurement.MeasureAsync([pair], new SequentialSpeedupTest(statistics), pairs, CancellationToken.None);
        return result.Summary with { Confidence = statistics.Confidence };
    }
}
