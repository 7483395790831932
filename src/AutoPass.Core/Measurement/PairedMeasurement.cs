using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Measurement;

/// <summary>A benchmark's two executables: the baseline's and the candidate's.</summary>
public sealed record ExecutablePair(BenchmarkSpec Benchmark, string BaselineExecutable, string CandidateExecutable, string WorkingDirectory);

/// <summary>
/// Paired, interleaved timing of a candidate against the baseline: warm-ups, then pairs in random
/// AB/BA order, both runs of a pair under the same fresh environment padding so layout effects are
/// sampled rather than frozen. Stops when the sequential test decides, or after a fixed count.
/// </summary>
public sealed class PairedMeasurement(ProgramRunner runner, int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Largest environment padding, in bytes (hyperfine uses up to 4 KiB too).</summary>
    public const int MaxPaddingBytes = 4096;

    public const int WarmupsPerBinary = 1;

    /// <summary>
    /// Measures until <paramref name="test"/> stops (or <paramref name="fixedPairs"/> when given).
    /// Throws <see cref="BenchmarkRunFailedException"/> when a run fails.
    /// </summary>
    public async Task<BenchmarkMeasurement> MeasureAsync(ExecutablePair pair, SequentialSpeedupTest test, int? fixedPairs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (int i = 0; i < WarmupsPerBinary; i++)
        {
            await RunCheckedAsync(pair, pair.BaselineExecutable, 0, timeout, cancellationToken);
            await RunCheckedAsync(pair, pair.CandidateExecutable, 0, timeout, cancellationToken);
        }

        var baseline = new List<double>();
        var candidate = new List<double>();
        var baselineCpu = new List<double>();
        var candidateCpu = new List<double>();
        var candidateFirst = new List<bool>();
        var baselineInstructions = new List<long>();
        var candidateInstructions = new List<long>();
        var padding = new List<int>();
        SpeedupVerdict? verdict = null;
        int limit = fixedPairs ?? test.Options.MaxPairs;
        while (baseline.Count < limit)
        {
            bool candFirst = _random.Next(2) == 1;
            int pad = _random.Next(MaxPaddingBytes + 1);
            RunSample a, b;
            if (candFirst)
            {
                b = await RunCheckedAsync(pair, pair.CandidateExecutable, pad, timeout, cancellationToken);
                a = await RunCheckedAsync(pair, pair.BaselineExecutable, pad, timeout, cancellationToken);
            }
            else
            {
                a = await RunCheckedAsync(pair, pair.BaselineExecutable, pad, timeout, cancellationToken);
                b = await RunCheckedAsync(pair, pair.CandidateExecutable, pad, timeout, cancellationToken);
            }
            baseline.Add(a.WallSeconds);
            candidate.Add(b.WallSeconds);
            baselineCpu.Add(a.CpuSeconds);
            candidateCpu.Add(b.CpuSeconds);
            candidateFirst.Add(candFirst);
            padding.Add(pad);
            if (a.Instructions is { } ai && b.Instructions is { } bi) { baselineInstructions.Add(ai); candidateInstructions.Add(bi); }
            if (fixedPairs is null)
            {
                verdict = test.Look(Objective(baseline, candidate, baselineInstructions, candidateInstructions));
                if (verdict is not null) break;
            }
        }
        verdict ??= SpeedupStatistics.Estimate(Objective(baseline, candidate, baselineInstructions, candidateInstructions), test.Options);
        return new BenchmarkMeasurement
        {
            Benchmark = pair.Benchmark.DisplayName,
            BaselineSeconds = baseline,
            CandidateSeconds = candidate,
            BaselineCpuSeconds = baselineCpu,
            CandidateCpuSeconds = candidateCpu,
            CandidateFirst = candidateFirst,
            Padding = padding,
            BaselineInstructions = baselineInstructions,
            CandidateInstructions = candidateInstructions,
            Verdict = verdict,
        };
    }

    /// <summary>Instruction counts when they were taken (the proxy objective), else wall times.</summary>
    private static PairedSamples Objective(List<double> baseline, List<double> candidate, List<long> baselineInstructions, List<long> candidateInstructions) =>
        baselineInstructions.Count == baseline.Count && baseline.Count > 0
            ? new PairedSamples(baselineInstructions.Select(i => (double)i).ToList(), candidateInstructions.Select(i => (double)i).ToList())
            : new PairedSamples(baseline, candidate);

    private async Task<RunSample> RunCheckedAsync(ExecutablePair pair, string executable, int pad, TimeSpan timeout, CancellationToken ct)
    {
        var sample = await runner.RunAsync(executable, pair.Benchmark.Arguments, pair.WorkingDirectory, pad, timeout, ct);
        if (!sample.Succeeded) throw new BenchmarkRunFailedException(pair.Benchmark, executable, sample);
        // Guard against a zero reading on a coarse clock; times must be positive for ratios.
        return sample.WallSeconds > 0 ? sample : sample with { WallSeconds = 1e-9 };
    }
}

/// <summary>A timed run failed (non-zero exit, crash or time-out) in the middle of a measurement.</summary>
public sealed class BenchmarkRunFailedException(BenchmarkSpec benchmark, string executable, RunSample sample)
    : Exception($"{benchmark.DisplayName} ({executable}) {sample.FailureText}")
{
    public BenchmarkSpec Benchmark { get; } = benchmark;
    public string Executable { get; } = executable;
    public RunSample Sample { get; } = sample;
}
