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
    public static Task<(SearchOutcome Outcome, SessionResult Result)> TuneWithResultAsync(string programs, string dir, string program, SearchMode mode, int raceSize,
        BenchOptions options, IDiagnosticSink sink, Func<TuningRequest, TuningRequest>? adjust = null) =>
        TuneWithResultAsync(programs, dir, new BenchmarkSpec(program, []), mode, raceSize, options, sink, adjust);

    /// <summary>A session of <paramref name="mode"/> on the project in <paramref name="source"/>, its files under <paramref name="dir"/> (deleted first).</summary>
    public static async Task<(SearchOutcome Outcome, SessionResult Result)> TuneWithResultAsync(string source, string dir, BenchmarkSpec benchmark, SearchMode mode, int raceSize,
        BenchOptions options, IDiagnosticSink sink, Func<TuningRequest, TuningRequest>? adjust = null)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var request = new TuningRequest
        {
            SourceDir = source,
            OutputDir = Path.Combine(dir, "pinned"),
            IntermediateDir = Path.Combine(dir, "obj"),
            Benchmarks = [benchmark],
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

    /// <summary>
    /// A session as a user runs it on a CMake project of real size, then its pinned autopass.cmake built fresh the way the
    /// user's plain build includes it (CMAKE_PROJECT_INCLUDE, per-file flags and all) and timed against a fresh -O3 built
    /// with the same generator and configure arguments. The outcome's wall time covers both.
    /// </summary>
    public static async Task<(SearchOutcome Outcome, SessionResult Result)> TuneAndMeasurePinnedAsync(string source, string sessionDir, string independentDir,
        BenchmarkSpec benchmark, SearchMode mode, BenchOptions options, IDiagnosticSink sink, Func<TuningRequest, TuningRequest> adjust)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TuningRequest? used = null;
        var (outcome, result) = await TuneWithResultAsync(source, sessionDir, benchmark, mode, options.RaceSize, options, sink, r => used = adjust(r));
        string pinnedCMake = Path.Combine(sessionDir, "pinned", PinnedFiles.CMakeName);
        var settings = new CMakeSettings(source, used!.Generator) { ExtraArgs = used.CMakeArgs };
        var independent = await MeasureIndependentlyAsync(settings, independentDir, benchmark, options,
            (builder, tree) => builder.ConfigureAndBuildAsync(tree, pinnedCMake, [benchmark.Target], CancellationToken.None));
        return (outcome with { Independent = independent, WallSeconds = clock.Elapsed.TotalSeconds }, result);
    }

    /// <summary>A fresh build of -O3 and of the pinned flags, timed in interleaved pairs with a new seed.</summary>
    public static Task<SpeedupVerdict> MeasureIndependentlyAsync(string programs, string dir, string program, IReadOnlyList<string> flags, BenchOptions options) =>
        MeasureIndependentlyAsync(new CMakeSettings(programs), dir, new BenchmarkSpec(program, []), options,
            (builder, tree) => builder.BuildAsync(["-O3", .. flags], tree, [program], "bench pinned", CancellationToken.None));

    /// <summary>
    /// Fresh trees: -O3, and the pinned set as <paramref name="buildPinned"/> builds it in the tree it is given; their
    /// stdout compared once, then timed against each other. The -O3 tree is left in <paramref name="dir"/>/o3.
    /// </summary>
    public static async Task<SpeedupVerdict> MeasureIndependentlyAsync(CMakeSettings settings, string dir, BenchmarkSpec benchmark, BenchOptions options,
        Func<CMakeBuilder, string, Task<BuildOutcome>> buildPinned)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var builder = new CMakeBuilder(settings);
        var o3 = await builder.BuildAsync(["-O3"], Path.Combine(dir, "o3"), [benchmark.Target], "bench -O3", CancellationToken.None);
        var pinned = await buildPinned(builder, Path.Combine(dir, "pinned"));
        if (!o3.Succeeded || !pinned.Succeeded) throw new InvalidOperationException($"{benchmark.Target}: independent build failed\n{o3.Log}\n{pinned.Log}");
        // The same program twice: timing it would only measure the machine's drift (a 3.7% "difference" on a loaded VM).
        if (SameBytes(o3.Executables[benchmark.Target], pinned.Executables[benchmark.Target]))
            return new SpeedupVerdict(1, 1, 1, new StatisticsOptions().Confidence, SpeedupDecision.NotFaster, 0);
        await CheckSameOutputAsync(settings.SourceDir, benchmark, o3, pinned);
        return await MeasureAgainstO3Async(settings.SourceDir, benchmark, o3, pinned, options.IndependentPairs, options.Seed + 1000);
    }

    private static bool SameBytes(string a, string b) =>
        System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(a)).AsSpan().SequenceEqual(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(b)));

    /// <summary>
    /// One run of each build, their stdout compared: a pinned set whose program prints something else than -O3's is a
    /// miscompile the session's output check let through, and its speedup means nothing.
    /// </summary>
    private static async Task CheckSameOutputAsync(string workingDir, BenchmarkSpec benchmark, BuildOutcome o3, BuildOutcome pinned)
    {
        var runner = new ProgramRunner(pinToCore: false);
        var reference = await runner.RunAsync(o3.Executables[benchmark.Target], benchmark.Arguments, workingDir, 0, TimeSpan.FromMinutes(2), CancellationToken.None);
        var candidate = await runner.RunAsync(pinned.Executables[benchmark.Target], benchmark.Arguments, workingDir, 0, TimeSpan.FromMinutes(2), CancellationToken.None);
        if (!reference.Succeeded || !candidate.Succeeded)
            throw new InvalidOperationException($"{benchmark.DisplayName}: -O3 {(reference.Succeeded ? "ran" : reference.FailureText)}, pinned {(candidate.Succeeded ? "ran" : candidate.FailureText)}");
        if (reference.StandardOutput.Sha256 != candidate.StandardOutput.Sha256)
            throw new InvalidOperationException($"{benchmark.DisplayName}: the pinned build prints other output than -O3's ({candidate.StandardOutput.Length} bytes against {reference.StandardOutput.Length}); the pinned flags miscompile it");
    }

    /// <summary>Times <paramref name="candidate"/> against <paramref name="o3"/> in a fixed number of interleaved pairs.</summary>
    public static Task<SpeedupVerdict> MeasureAgainstO3Async(string programs, string program, BuildOutcome o3, BuildOutcome candidate, int pairs, int seed) =>
        MeasureAgainstO3Async(programs, new BenchmarkSpec(program, []), o3, candidate, pairs, seed);

    /// <summary>As above for a benchmark with arguments, run in <paramref name="workingDir"/> (the CMake source directory, as a session runs it).</summary>
    public static async Task<SpeedupVerdict> MeasureAgainstO3Async(string workingDir, BenchmarkSpec benchmark, BuildOutcome o3, BuildOutcome candidate, int pairs, int seed)
    {
        var statistics = new StatisticsOptions(Seed: seed);
        var measurement = new PairedMeasurement(new ProgramRunner(pinToCore: true), seed);
        var pair = new ExecutablePair(benchmark, o3.Executables[benchmark.Target], candidate.Executables[benchmark.Target], workingDir, TimeSpan.FromMinutes(2));
        var result = await measurement.MeasureAsync([pair], new SequentialSpeedupTest(statistics), pairs, CancellationToken.None);
        return result.Summary with { Confidence = statistics.Confidence };
    }
}
