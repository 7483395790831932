namespace AutoPass.Core.Statistics;

internal enum SpeedupDecision
{
    /// <summary>Confidently faster by at least the minimum effect.</summary>
    Faster,
    /// <summary>Confidently slower by at least the minimum effect.</summary>
    Slower,
    /// <summary>Cannot be faster by the minimum effect (futile): treat as "the same or worse".</summary>
    NotFaster,
    /// <summary>The evidence does not decide yet.</summary>
    Inconclusive,
}

/// <summary>
/// Speedup = baseline time / candidate time (above 1 is faster), with its interval at <see cref="Confidence"/>.
/// Speedup is exp(−Hodges–Lehmann of ln(candidate/baseline)); Low/High join the paired-bootstrap and
/// signed-rank intervals (the wider of the two wins), so a claim needs both methods to agree.
/// </summary>
internal sealed record SpeedupVerdict(double Speedup, double Low, double High, double Confidence, SpeedupDecision Decision, int Pairs)
{
    /// <summary>The minimum effect δ the decision used.</summary>
    public double MinEffect { get; init; }

    /// <summary>Paired percentile bootstrap interval of the speedup.</summary>
    public double BootstrapLow { get; init; }
    public double BootstrapHigh { get; init; }

    /// <summary>Wilcoxon signed-rank interval of the speedup (infinite when too few pairs).</summary>
    public double RankLow { get; init; }
    public double RankHigh { get; init; }

    public override string ToString() =>
        $"{Speedup:0.000}x [{Low:0.000}, {High:0.000}] ({Confidence * 100:0.#}%, {Pairs} pairs, {Decision})";
}
