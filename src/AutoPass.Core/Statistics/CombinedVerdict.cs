namespace AutoPass.Core.Statistics;

/// <summary>
/// Geometric-mean speedup over several benchmarks with its bootstrap interval, each benchmark's own verdict,
/// and the no-regression rule: a candidate confidently slower than the baseline by more than δ on any
/// benchmark is never <see cref="SpeedupDecision.Faster"/>, however good the mean.
/// </summary>
internal sealed record CombinedVerdict(
    double Speedup, double Low, double High, double Confidence, SpeedupDecision Decision, IReadOnlyList<BenchmarkVerdict> Benchmarks)
{
    /// <summary>The minimum effect δ the decision used.</summary>
    public double MinEffect { get; init; }

    /// <summary>Benchmarks whose whole interval is below 1−δ.</summary>
    public IReadOnlyList<string> Regressions =>
        Benchmarks.Where(b => b.Verdict.Decision == SpeedupDecision.Slower).Select(b => b.Name).ToList();

    public bool HasRegression => Benchmarks.Any(b => b.Verdict.Decision == SpeedupDecision.Slower);

    /// <summary>Fewest pairs of any benchmark.</summary>
    public int Pairs => Benchmarks.Count == 0 ? 0 : Benchmarks.Min(b => b.Verdict.Pairs);

    /// <summary>The combined verdict in the single-verdict shape the ledger and the search read.</summary>
    public SpeedupVerdict ToSummary() => new(Speedup, Low, High, Confidence, Decision, Pairs) { MinEffect = MinEffect };

    public override string ToString() =>
        $"geomean {Speedup:0.000}x [{Low:0.000}, {High:0.000}] ({Confidence * 100:0.#}%, {Benchmarks.Count} benchmarks, {Decision})" +
        (HasRegression ? $", slower on {string.Join(", ", Regressions)}" : "");
}
