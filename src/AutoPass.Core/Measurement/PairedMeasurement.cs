using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Measurement;

/// <summary>A benchmark's two executables: the reference's (usually the baseline) and the candidate's.</summary>
internal sealed record ExecutablePair(BenchmarkSpec Benchmark, string BaselineExecutable, string CandidateExecutable, string WorkingDirectory, TimeSpan Timeout);

/// <summary>Every benchmark's samples of one measurement and the verdict over all of them.</summary>
internal sealed record MeasurementResult(IReadOnlyList<BenchmarkMeasurement> Benchmarks, CombinedVerdict Verdict)
{
    public SpeedupVerdict Summary => Verdict.ToSummary();
}

/// <summary>
/// Paired, interleaved timing of a candidate against a reference: a warm-up of each binary, then rounds. Each
/// round runs one pair per benchmark (benchmarks in random order), each pair in random AB/BA order under the
/// same fresh environment padding, so layout effects are sampled rather than frozen and drift hits both arms.
/// Both arms run through paths of equal length (<see cref="EqualLengthRunPaths"/>). After each round on the sequential test's schedule, the combined verdict decides whether to stop.
/// </summary>
internal sealed class PairedMeasurement(IArmRunner runner, int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Largest environment padding, in bytes (hyperfine uses up to 4 KiB too).</summary>
    public const int MaxPaddingBytes = 4096;

    public const int WarmupsPerBinary = 1;

    /// <summary>
    /// Measures until <paramref name="test"/> stops, or for exactly <paramref name="fixedPairs"/> rounds when given.
    /// Throws <see cref="BenchmarkRunFailedException"/> when a run fails.
    /// </summary>
    public async Task<MeasurementResult> MeasureAsync(IReadOnlyList<ExecutablePair> pairs, SequentialSpeedupTest test, int? fixedPairs, CancellationToken cancellationToken)
    {
        using var runPaths = EqualLengthRunPaths.Create(pairs);
        var arms = pairs.Select((p, i) => new Arms(p, runPaths.Paths[i].Baseline, runPaths.Paths[i].Candidate)).ToList();
        foreach (var arm in arms)
            for (int i = 0; i < WarmupsPerBinary; i++)
            {
                var first = await runner.RunAsync(arm.BaselineRunPath, arm.Pair.Benchmark.Arguments, arm.Pair.WorkingDirectory, 0, arm.Pair.Timeout, cancellationToken);
                if (!first.Succeeded && arm.BaselineRunPath != arm.Pair.BaselineExecutable)
                {
                    // A program that finds its files from its own path (argv[0]) has to run where it was built.
                    arm.UseRealPaths();
                    await RunCheckedAsync(arm.Pair, arm.BaselineRunPath, arm.Pair.BaselineExecutable, 0, cancellationToken);
                }
                else if (!first.Succeeded) throw new BenchmarkRunFailedException(arm.Pair.Benchmark, arm.Pair.BaselineExecutable, first);
                await RunCheckedAsync(arm.Pair, arm.CandidateRunPath, arm.Pair.CandidateExecutable, 0, cancellationToken);
            }

        CombinedVerdict? verdict = null;
        int limit = fixedPairs ?? test.Options.MaxPairs;
        for (int round = 1; round <= limit; round++)
        {
            foreach (var arm in arms.OrderBy(_ => _random.Next()).ToList())
                await RunPairAsync(arm, cancellationToken);
            if (fixedPairs is null)
            {
                verdict = test.Look(arms.Select(a => a.Samples()).ToList());
                if (verdict is not null) break;
            }
        }
        verdict ??= CombinedSpeedup.Estimate(arms.Select(a => a.Samples()).ToList(), test.Options);
        var measurements = arms.Select(a => a.ToMeasurement(verdict.Benchmarks.First(b => b.Name == a.Pair.Benchmark.DisplayName).Verdict)).ToList();
        return new MeasurementResult(measurements, verdict);
    }

    private async Task RunPairAsync(Arms arm, CancellationToken ct)
    {
        bool candidateFirst = _random.Next(2) == 1;
        int pad = _random.Next(MaxPaddingBytes + 1);
        RunSample a, b;
        if (candidateFirst)
        {
            b = await RunCheckedAsync(arm.Pair, arm.CandidateRunPath, arm.Pair.CandidateExecutable, pad, ct);
            a = await RunCheckedAsync(arm.Pair, arm.BaselineRunPath, arm.Pair.BaselineExecutable, pad, ct);
        }
        else
        {
            a = await RunCheckedAsync(arm.Pair, arm.BaselineRunPath, arm.Pair.BaselineExecutable, pad, ct);
            b = await RunCheckedAsync(arm.Pair, arm.CandidateRunPath, arm.Pair.CandidateExecutable, pad, ct);
        }
        arm.Add(a, b, candidateFirst, pad);
    }

    private async Task<RunSample> RunCheckedAsync(ExecutablePair pair, string runPath, string executable, int pad, CancellationToken ct)
    {
        var sample = await runner.RunAsync(runPath, pair.Benchmark.Arguments, pair.WorkingDirectory, pad, pair.Timeout, ct);
        if (!sample.Succeeded) throw new BenchmarkRunFailedException(pair.Benchmark, executable, sample);
        return sample.WithPositiveTime();
    }

    /// <summary>One benchmark's two arms: the paths they run through, and their samples as they accumulate.</summary>
    private sealed class Arms(ExecutablePair pair, string baselineRunPath, string candidateRunPath)
    {
        private readonly PairRecorder _recorder = new(pair.Benchmark.DisplayName);

        public ExecutablePair Pair { get; } = pair;
        public string BaselineRunPath { get; private set; } = baselineRunPath;
        public string CandidateRunPath { get; private set; } = candidateRunPath;

        public void UseRealPaths() => (BaselineRunPath, CandidateRunPath) = (Pair.BaselineExecutable, Pair.CandidateExecutable);

        public void Add(RunSample baseline, RunSample candidate, bool candidateFirst, int pad) => _recorder.Add(baseline, candidate, candidateFirst, pad);

        public BenchmarkSamples Samples() => _recorder.Samples();

        public BenchmarkMeasurement ToMeasurement(SpeedupVerdict? verdict) => _recorder.ToMeasurement(verdict);
    }
}

/// <summary>A timed run failed (non-zero exit, crash or time-out) in the middle of a measurement.</summary>
internal sealed class BenchmarkRunFailedException(BenchmarkSpec benchmark, string executable, RunSample sample)
    : Exception($"{benchmark.DisplayName} ({executable}) {sample.FailureText}")
{
    public BenchmarkSpec Benchmark { get; } = benchmark;
    public string Executable { get; } = executable;
    public RunSample Sample { get; } = sample;
}
