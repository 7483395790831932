using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using AutoPass.Core.Build;
using AutoPass.Core.Check;
using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Evidence;
using AutoPass.Core.Measurement;
using AutoPass.Core.Policy;
using AutoPass.Core.Racing;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Session;

/// <summary>
/// Everything before a race: policy gate, cheap compiler probe, build, and reuse of a measurement whose binaries a
/// candidate has (<see cref="PrepareAsync"/>); the search's races are <see cref="ScreeningRace"/>'s. One candidate on its
/// own (a minimization's head to head, a confirmation) runs in a race of one (<see cref="EvaluateAsync"/>).
/// </summary>
internal sealed class TrialEvaluator(
    TuningRequest request,
    CMakeBuilder builder,
    BaselineReference baseline,
    FlagPolicy policy,
    CompilerInfo compiler,
    ProgramRunner runner,
    StatisticsOptions statistics,
    IReadOnlyList<string>? hotFiles = null)
{
    private readonly Dictionary<string, TrialRecord> _measuredByFingerprint = new(StringComparer.Ordinal);
    private readonly CompilerRejections _rejections = new(compiler);
    private readonly CheckRun _check = new(baseline, request.SourceDir, request.IntermediateDir);

    private int _reusedMeasurements;

    /// <summary>How many candidates reused an earlier measurement because their binaries were identical.</summary>
    public int ReusedMeasurements => Volatile.Read(ref _reusedMeasurements);

    private readonly Lock _buildClockGate = new();
    private readonly Stopwatch _screenBuildClock = new();
    private int _screenBuildsRunning;

    /// <summary>Seconds during which at least one screening build ran: candidates built at once are counted once, as the session's clock spends them.</summary>
    public double ScreenBuildWallSeconds => _screenBuildClock.Elapsed.TotalSeconds;

    /// <summary>How many hot-file candidates may be built at once (<see cref="HotFileSet.BuildSlots"/>), each slot in trees of its own.</summary>
    public int BuildSlots { get; init; } = 1;

    /// <summary>Makes an earlier trial's measurement reusable (a resumed session's trials).</summary>
    public void Remember(TrialRecord trial)
    {
        if (trial.BinaryHash is { } hash && trial.Phase == TrialPhase.Screen && trial.BuildStatus == BuildStatus.Ok && Settled(trial)) _measuredByFingerprint[hash] = trial;
        if (trial.BuildStatus == BuildStatus.Failed && trial.BuildMessage is { } log) _rejections.RecordIfCrashed(trial.Flags, log);
    }

    /// <summary>A built candidate whose binaries need no timing again: it has a verdict, or it failed the output check (a race the time budget stopped before its first round left it unchecked, not settled).</summary>
    private static bool Settled(TrialRecord trial) => trial.Verdict is not null || trial.OutputCheck is not (OutputCheckStatus.Equal or OutputCheckStatus.NotRun);

    /// <summary>A race's entry that had the binaries of another entrant of that race (its twin): it stands on the twin's measurement.</summary>
    public TrialRecord ReusingTwin(TrialRecord record, TrialRecord twin, Stopwatch clock)
    {
        Interlocked.Increment(ref _reusedMeasurements);
        return Reusing(record, twin, clock);
    }

    /// <summary><paramref name="record"/> standing on the measurement of <paramref name="earlier"/>, whose binaries are the same.</summary>
    private static TrialRecord Reusing(TrialRecord record, TrialRecord earlier, Stopwatch clock) => record with
    {
        BuildStatus = BuildStatus.Reused,
        ReusedFrom = earlier.Trial,
        OutputCheck = earlier.OutputCheck,
        OutputCheckMessage = earlier.OutputCheckMessage,
        Benchmarks = earlier.Benchmarks,
        Verdict = earlier.Verdict,
        ElapsedSeconds = clock.Elapsed.TotalSeconds,
    };

    /// <summary>The hot files candidates change (relative to the source directory), or null: the whole project.</summary>
    public IReadOnlyList<string>? HotFiles => hotFiles;

    /// <summary>
    /// The one build tree hot-file candidates are built in, one after the other: the baseline's own (its programs were
    /// copied out, <see cref="HotFileSelection.KeepBaselinePrograms"/>), so even the first candidate recompiles only the hot files.
    /// </summary>
    public string HotTree => BuildDirectoryFor([]);

    /// <summary>
    /// The hot tree of build slot <paramref name="slot"/>: the baseline's for the first; each other slot's is configured and
    /// built whole by its first candidate, and recompiles only the hot files after that.
    /// </summary>
    private string HotTreeFor(int slot) => slot == 0 ? HotTree : Path.Combine(request.IntermediateDir, "builds", $"hot-{slot + 1}");

    /// <summary>
    /// Where hot-file candidates with link-time optimization are built: a tree of their own per slot, so the whole project is
    /// rebuilt for LTO once and the baseline's tree keeps recompiling only the hot files for the others.
    /// </summary>
    private string HotLinkTimeTreeFor(int slot) => Path.Combine(request.IntermediateDir, "builds", slot == 0 ? "hot-lto" : $"hot-lto-{slot + 1}");

    /// <summary>
    /// Builds baseline + candidate flags in the candidate's own build tree (a no-op when it is up to date); with hot files,
    /// the baseline flags on the whole project and the candidate's on the hot files only, in <see cref="HotTree"/>. A
    /// hot-file candidate's link-time optimization goes to the whole project (it optimizes the whole link), in <see cref="HotLinkTimeTree"/>.
    /// </summary>
    /// <param name="slot">The build slot (0 to <see cref="BuildSlots"/> - 1) whose trees a hot-file build uses: builds at once use different slots.</param>
    public Task<BuildOutcome> BuildAsync(IReadOnlyList<string> candidateFlags, CancellationToken ct, int slot = 0)
    {
        if (slot < 0 || slot >= Math.Max(1, BuildSlots)) throw new ArgumentOutOfRangeException(nameof(slot), slot, $"a build slot from 0 to {BuildSlots - 1}");
        if (hotFiles is { Count: > 0 })
        {
            var (linkTime, fileFlags) = LinkTimeFlags.Split(candidateFlags);
            var projectFlags = request.BaselineFlags.Concat(linkTime).ToList();
            return builder.BuildInTreeAsync(projectFlags, hotFiles.Select(f => new FileFlags(f, fileFlags)).ToList(), linkTime.Count == 0 ? HotTreeFor(slot) : HotLinkTimeTreeFor(slot),
                HotOutputFor(candidateFlags), request.Benchmarks.Select(b => b.Target).Distinct().ToList(), ct);
        }
        var allFlags = request.BaselineFlags.Concat(candidateFlags).ToList();
        return builder.BuildAsync(allFlags, BuildDirectoryFor(candidateFlags), request.Benchmarks.Select(b => b.Target).Distinct().ToList(),
            $"AutoPass candidate: {string.Join(' ', allFlags)}", ct);
    }

    /// <summary>Where a hot-file candidate's executables are kept, copied out of <see cref="HotTree"/>.</summary>
    private string HotOutputFor(IReadOnlyList<string> flags) =>
        Path.Combine(request.IntermediateDir, "builds", "hot-programs", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', flags))))[..12]);

    public string BuildDirectoryFor(IReadOnlyList<string> flags)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', flags)));
        return Path.Combine(request.IntermediateDir, "builds", flags.Count == 0 ? "baseline" : Convert.ToHexStringLower(digest)[..12]);
    }

    /// <summary>
    /// Evaluates one candidate in a race of one (<see cref="RaceLoop"/>, whose first round checks its output): against the
    /// baseline, or head to head against <paramref name="reference"/> (another candidate's build) when given, for
    /// minimization; a confirmation runs a fixed number of pairs. Outputs are always checked against the baseline's.
    /// </summary>
    public async Task<TrialRecord> EvaluateAsync(int trial, Candidate candidate, TrialPhase phase, int seed, CancellationToken ct, BuildOutcome? reference = null)
    {
        var clock = Stopwatch.StartNew();
        var prepared = await PrepareAsync(trial, candidate, phase, clock, ct, reference);
        if (prepared.Ready is not { } build) return prepared.Record;
        // Screening goes by the sequential test alone; minimization runs the screening's pairs in full, a confirmation its own afresh.
        var plan = phase switch
        {
            TrialPhase.Confirm => RacePlan.ForConfirmation(statistics),
            TrialPhase.Minimize => RacePlan.ForMinimizing(statistics),
            _ => RacePlan.ForOne(statistics),
        };
        var entrant = new RaceEntrant(build.Executables);
        var record = prepared.Record with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
        if (phase == TrialPhase.Screen && reference is null)
        {
            var race = new RaceCard<TrialRecord>(race: 1, carried: [], armSeconds: 0);
            race.Enter(record, clock, record.BinaryHash, build.Executables);
            return Settled(record, (await race.RunAsync(Track, plan, seed, () => false, ct)).Finished[0].Outcome!);
        }
        try
        {
            var outcome = (await new RaceLoop(runner, seed).RunAsync(request.Benchmarks, (reference ?? baseline.Build).Executables, [entrant], request.SourceDir,
                baseline.CandidateTimeout, plan, () => false, _check, ct))[0];
            return Settle(record, outcome) with { RaceExit = null, ElapsedSeconds = clock.Elapsed.TotalSeconds };
        }
        catch (BenchmarkRunFailedException failure)
        {
            // Head to head, the reference is a candidate too: its failure fails the comparison, not the session.
            return record with { OutputCheck = CheckRun.Classify(failure.Sample), OutputCheckMessage = failure.Message, ElapsedSeconds = clock.Elapsed.TotalSeconds };
        }
    }

    /// <summary>What a screening race's outcome says of an entrant's record, kept for later candidates with the same binaries.</summary>
    public TrialRecord Settled(TrialRecord record, RaceOutcome outcome) => Keep(Settle(record, outcome));

    /// <summary>A screened record, kept for candidates with the same binaries when it needs no timing again.</summary>
    private TrialRecord Keep(TrialRecord record)
    {
        if (Settled(record)) _measuredByFingerprint[record.BinaryHash!] = record;
        return record;
    }

    /// <summary>What a race's outcome says of an entrant's record (not for <see cref="RaceOutcome.Carried"/>: that record comes from a later race).</summary>
    private static TrialRecord Settle(TrialRecord record, RaceOutcome outcome) => outcome switch
    {
        RaceOutcome.Measured m => record with { OutputCheck = OutputCheckStatus.Equal, Benchmarks = m.Result.Benchmarks, Verdict = m.Result.Summary, RaceExit = m.Exit },
        RaceOutcome.Failed f => record with { OutputCheck = CheckRun.Classify(f.Failure.Sample), OutputCheckMessage = f.Failure.Message },
        RaceOutcome.WrongOutput w => record with { OutputCheck = OutputCheckStatus.Differs, OutputCheckMessage = w.Message },
        RaceOutcome.Untimed => record with { OutputCheck = OutputCheckStatus.Equal, OutputCheckMessage = "the time budget ran out before it was timed" },
        RaceOutcome.Unchecked => record with { OutputCheckMessage = "the time budget ran out before it was checked and timed" },
        _ => throw new ArgumentException($"{outcome} goes on in another race: it has no record yet", nameof(outcome)),
    };

    /// <summary>Where this session's races run: the runner, the benchmarks, the baseline's programs and its outputs to check against.</summary>
    public RaceTrack Track => new(runner, request.Benchmarks, baseline.Build.Executables, request.SourceDir, baseline.CandidateTimeout, _check);

    /// <summary>A trial as far as it gets without timing: final unless <see cref="Ready"/> holds binaries that passed the output check.</summary>
    internal sealed record Prepared(TrialRecord Record, BuildOutcome? Ready = null)
    {
        public static implicit operator Prepared(TrialRecord final) => new(final);
    }

    /// <summary>Gate, probe, build, reuse of identical binaries: everything before the race.</summary>
    /// <param name="clock">Started when the candidate's entry began: a final record's elapsed time.</param>
    /// <param name="slot">The build slot its build uses (<see cref="BuildAsync"/>): candidates prepared at once use different slots.</param>
    public async Task<Prepared> PrepareAsync(int trial, Candidate candidate, TrialPhase phase, Stopwatch clock, CancellationToken ct, BuildOutcome? reference = null, int slot = 0)
    {
        var record = new TrialRecord
        {
            Trial = trial,
            Phase = phase,
            Flags = candidate.Flags,
            Origin = candidate.Origin,
            Rationale = candidate.Rationale,
            BuildStatus = BuildStatus.Rejected,
            OutputCheck = OutputCheckStatus.NotRun,
        };

        // The policy judges -mllvm pairs as one unit, so it sees the whole list.
        var denied = policy.EvaluateAll(candidate.Flags).Where(d => !d.Allowed).ToList();
        if (denied.Count > 0)
            return record with { BuildMessage = "policy: " + string.Join("; ", denied.Select(d => $"{d.Flag}: {d.Reason}")) };

        // A probe compile (remembered per flag) catches options the compiler rejects before a full build.
        var rejected = await _rejections.CheckAsync(candidate.Flags, ct);
        if (rejected.Count > 0)
            return record with { BuildMessage = $"{compiler.Id} rejects: {string.Join(' ', rejected.Select(r => r.Flag))} ({rejected[0].Reason})" };

        var buildClock = Stopwatch.StartNew();
        BuildStarting(phase);
        BuildOutcome build;
        try
        {
            build = await BuildAsync(candidate.Flags, ct, slot);
        }
        finally
        {
            BuildEnded(phase);
        }
        record = record with { BuildSeconds = Math.Round(buildClock.Elapsed.TotalSeconds, 3) };
        // A flag set that crashed the compiler is not built again in later candidates (nor after a resume: the message keeps the crash).
        if (!build.Succeeded && _rejections.RecordIfCrashed(candidate.Flags, build.Log))
            return record with { BuildStatus = BuildStatus.Failed, BuildMessage = build.Failure!.Message + ": " + CompilerRejections.CrashLine(build.Log), ElapsedSeconds = clock.Elapsed.TotalSeconds };
        if (!build.Succeeded)
            return record with { BuildStatus = BuildStatus.Failed, BuildMessage = build.Failure!.Message + ": " + LastLines(build.Log, 5), ElapsedSeconds = clock.Elapsed.TotalSeconds };
        if (!build.BuiltBySameCompilersAs(baseline.Build))
            return record with { BuildStatus = BuildStatus.Failed, BuildMessage = $"built by {build.CCompilerPath}, not by the baseline's {baseline.Build.CCompilerPath}: not measured", ElapsedSeconds = clock.Elapsed.TotalSeconds };

        string fingerprint = ExecutableFingerprint.Of(build.Executables);
        record = record with { BuildStatus = BuildStatus.Ok, BinaryHash = fingerprint };
        if (reference is not null && fingerprint == ExecutableFingerprint.Of(reference.Executables))
        {
            Interlocked.Increment(ref _reusedMeasurements);
            return record with
            {
                BuildStatus = BuildStatus.Reused,
                OutputCheck = OutputCheckStatus.Equal,
                OutputCheckMessage = "identical to the reference's binaries",
                Verdict = new SpeedupVerdict(1, 1, 1, statistics.Confidence, SpeedupDecision.NotFaster, 0),
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
            };
        }
        if (fingerprint == baseline.Fingerprint && reference is null)
        {
            Interlocked.Increment(ref _reusedMeasurements);
            return record with
            {
                BuildStatus = BuildStatus.Reused,
                ReusedFrom = 0,
                OutputCheck = OutputCheckStatus.Equal,
                OutputCheckMessage = "identical to the baseline's binaries",
                Verdict = new SpeedupVerdict(1, 1, 1, statistics.Confidence, SpeedupDecision.NotFaster, 0),
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
            };
        }
        if (_measuredByFingerprint.TryGetValue(fingerprint, out var earlier) && phase == TrialPhase.Screen)
        {
            Interlocked.Increment(ref _reusedMeasurements);
            return Reusing(record, earlier, clock);
        }

        // The race's first round checks the outputs (RaceLoop): a run of its own would cost as much as a round.
        return new Prepared(record, build);
    }

    /// <summary>The A/A calibration's per-pair spread (the noisiest benchmark's), which chooses the races' schedule (null: the screening's) and stands in for a screening cut's pooled spread when fewer than three entrants are left.</summary>
    public double? CalibrationSpread { get; init; }

    private void BuildStarting(TrialPhase phase)
    {
        if (phase != TrialPhase.Screen) return;
        lock (_buildClockGate)
            if (_screenBuildsRunning++ == 0) _screenBuildClock.Start();
    }

    private void BuildEnded(TrialPhase phase)
    {
        if (phase != TrialPhase.Screen) return;
        lock (_buildClockGate)
            if (--_screenBuildsRunning == 0) _screenBuildClock.Stop();
    }

    /// <summary>The lower bound of the best speedup a screening verdict has shown so far, or null: a race's entrants clearly short of it leave.</summary>
    internal double? ShownSpeedup => _measuredByFingerprint.Values.Where(r => r.Verdict is { Decision: SpeedupDecision.Faster }).Max(r => (double?)r.Verdict!.Low);

    /// <summary>The plan of the next race: its schedule from the calibration, and the speedup shown so far.</summary>
    internal RacePlan Plan => RacePlan.ForScreening(statistics, CalibrationSpread, ShownSpeedup);

    internal static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
