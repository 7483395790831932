using AutoPass.Core.Measurement;
using AutoPass.Core.Statistics;
using MathNet.Numerics.Statistics;

namespace AutoPass.Core.Racing;

/// <summary>What one arm's runs took in a regime: medians over its pairs (summed over benchmarks per round).</summary>
/// <param name="CpuSeconds">User+system CPU seconds; null when the runs have none (an instruction-count objective, a simulated machine).</param>
internal sealed record ArmTimes(double WallSeconds, double? CpuSeconds);

/// <summary>One stretch of consecutive pairs (1-based, inclusive) in which the effect held still, with its own verdict.</summary>
/// <param name="LoadAverage">The machine's median one-minute load average over the regime's pairs, where recorded.</param>
internal sealed record Regime(int FirstPair, int LastPair, CombinedVerdict Verdict, ArmTimes Baseline, ArmTimes Candidate, double? LoadAverage = null)
{
    public int Pairs => LastPair - FirstPair + 1;

    public string Span => $"pairs {FirstPair}-{LastPair}";
}

/// <summary>
/// The regimes of a measurement: its pairs are a time series, and on a shared machine the candidate's effect can move
/// between states during it. One regime when it did not move.
/// </summary>
internal sealed record RegimeAnalysis(IReadOnlyList<Regime> Regimes)
{
    public bool Moved => Regimes.Count > 1;

    /// <summary>The regime with the smallest effect: the one a claim can rest on whichever state the machine is in.</summary>
    public Regime Conservative => Regimes.OrderBy(r => r.Verdict.Speedup).ThenBy(r => r.Verdict.Low).First();

    /// <summary>The regime with the largest effect.</summary>
    public Regime Largest => Regimes.OrderByDescending(r => r.Verdict.Speedup).First();

    /// <summary>
    /// What the machine did between the largest and the conservative regime, from each arm's wall and CPU times: whether
    /// the runs got dearer in work (CPU time moved with wall time: contention for memory or caches) or waited (wall
    /// time moved alone: the machine was busy).
    /// </summary>
    public string Explain()
    {
        if (!Moved) return "the effect held still";
        var (from, to) = (Largest, Conservative);
        string Arm(string name, ArmTimes a, ArmTimes b) =>
            $"the {name}'s wall time {Change(a.WallSeconds, b.WallSeconds)}" +
            (a.CpuSeconds is { } ca && b.CpuSeconds is { } cb ? $" and its CPU time {Change(ca, cb)}" : "");
        string text = $"from {from.Span} ({from.Verdict.Speedup:0.000}x) to {to.Span} ({to.Verdict.Speedup:0.000}x), " +
                      $"{Arm("baseline", from.Baseline, to.Baseline)}, while {Arm("candidate", from.Candidate, to.Candidate)}";
        if (from.Baseline.CpuSeconds is { } fromCpu && to.Baseline.CpuSeconds is { } toCpu)
        {
            double wall = Math.Abs(Math.Log(to.Baseline.WallSeconds / from.Baseline.WallSeconds));
            double cpu = Math.Abs(Math.Log(toCpu / fromCpu));
            if (wall > Math.Log(1.10) && cpu < wall / 2) text += " (the baseline's wall time moved without its CPU time: the machine was busy and the runs waited)";
            else if (wall > Math.Log(1.10)) text += " (the baseline's CPU time moved with its wall time: the work itself got dearer or cheaper, as under a neighbour's memory traffic)";
        }
        if (from.LoadAverage is { } fromLoad && to.LoadAverage is { } toLoad)
            text += string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; the machine's load average went from {fromLoad:0.0#} to {toLoad:0.0#}");
        return text;
    }

    private static string Change(double from, double to)
    {
        double change = to / from - 1;
        return Math.Abs(change) < 0.005 ? "held" : $"{(change > 0 ? "rose" : "fell")} {Math.Abs(change) * 100:0}%";
    }
}

/// <summary>
/// Splits a measurement's pairs into regimes (<see cref="ChangePoints"/> on the per-round mean log ratio over the
/// benchmarks) and gives each its own verdict.
/// </summary>
internal static class RegimeDetection
{
    /// <summary>
    /// The least move of the effect called a change of regime, in log units: twice the minimum effect, and at least 2%.
    /// A smaller move cannot turn a claim's meaning; calling it a regime would only cost the claim pairs.
    /// </summary>
    public static double MinShift(StatisticsOptions options) => Math.Log(1 + Math.Max(2 * options.MinEffect, 0.02));

    public static RegimeAnalysis Analyse(IReadOnlyList<BenchmarkMeasurement> benchmarks, StatisticsOptions options)
    {
        int pairs = benchmarks.Min(b => b.BaselineSeconds.Count);
        var samples = benchmarks.Select(b => b.ObjectiveSamples()).ToList();
        var series = Enumerable.Range(0, pairs).Select(i => samples.Average(s => Math.Log(s.Candidate[i] / s.Baseline[i]))).ToArray();
        var starts = new[] { 0 }.Concat(ChangePoints.Find(series, MinShift(options))).Append(pairs).ToArray();
        var regimes = new List<Regime>();
        for (int r = 0; r + 1 < starts.Length; r++)
        {
            int start = starts[r], count = starts[r + 1] - start;
            var slices = benchmarks.Select((b, i) => new BenchmarkSamples(b.Benchmark,
                new PairedSamples(samples[i].Baseline.Skip(start).Take(count).ToList(), samples[i].Candidate.Skip(start).Take(count).ToList()))).ToList();
            regimes.Add(new Regime(start + 1, start + count, CombinedSpeedup.Estimate(slices, options),
                Times(benchmarks, start, count, b => b.BaselineSeconds, b => b.BaselineCpuSeconds),
                Times(benchmarks, start, count, b => b.CandidateSeconds, b => b.CandidateCpuSeconds),
                benchmarks[0].LoadAverage.Count >= start + count ? benchmarks[0].LoadAverage.Skip(start).Take(count).Median() : null));
        }
        return new RegimeAnalysis(regimes);
    }

    private static ArmTimes Times(IReadOnlyList<BenchmarkMeasurement> benchmarks, int start, int count,
        Func<BenchmarkMeasurement, IReadOnlyList<double>> wall, Func<BenchmarkMeasurement, IReadOnlyList<double>> cpu)
    {
        double RoundSum(Func<BenchmarkMeasurement, IReadOnlyList<double>> times, int i) => benchmarks.Sum(b => times(b)[i]);
        var rounds = Enumerable.Range(start, count).ToList();
        double wallMedian = rounds.Select(i => RoundSum(wall, i)).Median();
        bool hasCpu = benchmarks.All(b => cpu(b).Count >= start + count && rounds.All(i => cpu(b)[i] > 0));
        return new ArmTimes(wallMedian, hasCpu ? rounds.Select(i => RoundSum(cpu, i)).Median() : null);
    }
}

/// <summary>
/// How a confirmation stands on its regimes: measured, split into regimes; when the effect moved it is extended by a
/// fresh measurement of the same length (<see cref="MaxExtensions"/>) while the budget allows, and when it stays
/// unstable the claim is the conservative regime's (the smallest effect, with its own interval). The session's
/// confirmation (WinnerConfirmation) and the simulated machine's tests both go by it.
/// </summary>
internal static class RegimeAwareConfirmation
{
    /// <summary>Fresh measurements added to a confirmation whose effect moved, at most.</summary>
    public const int MaxExtensions = 1;

    private static bool ShouldExtend(RegimeAnalysis analysis, int extensions) => analysis.Moved && extensions < MaxExtensions;

    /// <summary>
    /// A confirmation's pairs and their regimes: when the effect moved in <paramref name="first"/>, another fresh
    /// measurement of the same length is appended (at most <see cref="MaxExtensions"/>, each while
    /// <paramref name="mayExtend"/> allows) and the whole analysed again. The session's confirmation and the simulations
    /// both come through here.
    /// </summary>
    /// <param name="measureAgain">Measures afresh (the argument counts extensions from 0); null when that measurement has no pairs to add.</param>
    /// <param name="extending">Told before each extension, with the analysis that asked for it.</param>
    public static async Task<(IReadOnlyList<BenchmarkMeasurement> Pairs, RegimeAnalysis Analysis, int Extensions)> MeasureAsync(
        IReadOnlyList<BenchmarkMeasurement> first, Func<int, Task<IReadOnlyList<BenchmarkMeasurement>?>> measureAgain, StatisticsOptions statistics,
        Func<bool> mayExtend, Action<RegimeAnalysis>? extending = null)
    {
        var pairs = first;
        var analysis = RegimeDetection.Analyse(pairs, statistics);
        int extensions = 0;
        for (; ShouldExtend(analysis, extensions) && mayExtend(); extensions++)
        {
            extending?.Invoke(analysis);
            if (await measureAgain(extensions) is not { } more || more.Count != pairs.Count) break;
            pairs = Append(pairs, more);
            analysis = RegimeDetection.Analyse(pairs, statistics);
        }
        return (pairs, analysis, extensions);
    }

    /// <summary>The confirmation's pairs followed by the extension's, per benchmark (the same benchmarks in the same order).</summary>
    public static IReadOnlyList<BenchmarkMeasurement> Append(IReadOnlyList<BenchmarkMeasurement> first, IReadOnlyList<BenchmarkMeasurement> then) =>
        first.Zip(then, (a, b) => a with
        {
            BaselineSeconds = [.. a.BaselineSeconds, .. b.BaselineSeconds],
            CandidateSeconds = [.. a.CandidateSeconds, .. b.CandidateSeconds],
            BaselineCpuSeconds = [.. a.BaselineCpuSeconds, .. b.BaselineCpuSeconds],
            CandidateCpuSeconds = [.. a.CandidateCpuSeconds, .. b.CandidateCpuSeconds],
            BaselineInstructions = [.. a.BaselineInstructions, .. b.BaselineInstructions],
            CandidateInstructions = [.. a.CandidateInstructions, .. b.CandidateInstructions],
            CandidateFirst = [.. a.CandidateFirst, .. b.CandidateFirst],
            Padding = [.. a.Padding, .. b.Padding],
            LoadAverage = a.LoadAverage.Count == a.Padding.Count && b.LoadAverage.Count == b.Padding.Count ? [.. a.LoadAverage, .. b.LoadAverage] : [],
        }).ToList();

    /// <summary>The verdict the confirmation's claim stands on: all pairs' when the effect held still, else the conservative regime's.</summary>
    public static CombinedVerdict Claim(RegimeAnalysis analysis) => analysis.Conservative.Verdict;
}
