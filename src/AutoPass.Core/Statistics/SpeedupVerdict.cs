namespace AutoPass.Core.Statistics;

public enum SpeedupDecision
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
/// </summary>
public sealed record SpeedupVerdict(double Speedup, double Low, double High, double Confidence, SpeedupDecision Decision, int Pairs)
{
    public override string ToString() =>
        $"{Speedup:0.000}x [{Low:0.000}, {High:0.000}] ({Confidence * 100:0.#}%, {Pairs} pairs, {Decision})";
}
