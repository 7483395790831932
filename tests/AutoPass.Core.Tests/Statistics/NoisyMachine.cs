namespace AutoPass.Core.Tests.Statistics;

/// <summary>
/// A simulated machine for paired runs with known truth: lognormal noise per run, occasional spikes
/// (a run delayed by a fixed share), and a step drift at <see cref="DriftAt"/> that slows both runs of
/// every later pair. Deterministic for a seed.
/// </summary>
public sealed record NoisyMachine(double Sigma, double SpikeChance, double SpikeSize, double Drift = 0, int DriftAt = 20)
{
    /// <summary>σ = 1%, 5% chance of a +10% spike, +6% drift halfway (the reference notes' light case).</summary>
    public static NoisyMachine Light => new(0.01, 0.05, 0.10, 0.06);

    /// <summary>σ = 3%, 10% chance of a +20% spike, +6% drift halfway.</summary>
    public static NoisyMachine Heavy => new(0.03, 0.10, 0.20, 0.06);

    /// <summary>Endless pairs (baseline, candidate) for a candidate that is truly <paramref name="speedup"/>× faster.</summary>
    public IEnumerable<(double Baseline, double Candidate)> Pairs(double speedup, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; ; i++)
        {
            double machine = i >= DriftAt ? 1 + Drift : 1;
            yield return (machine * Run(random), machine / speedup * Run(random));
        }
    }

    public (double[] Baseline, double[] Candidate) Take(double speedup, int pairs, int seed)
    {
        var taken = Pairs(speedup, seed).Take(pairs).ToArray();
        return (taken.Select(p => p.Baseline).ToArray(), taken.Select(p => p.Candidate).ToArray());
    }

    /// <summary>The robust spread of a pair's log ratio here, spikes aside: what an A/A calibration on this machine measures.</summary>
    public double PairSpread => Sigma * Math.Sqrt(2);

    /// <summary>One run's time on this machine, before drift.</summary>
    public double Run(Random random)
    {
        double t = Math.Exp(Sigma * Gaussian(random));
        return random.NextDouble() < SpikeChance ? t * (1 + SpikeSize) : t;
    }

    private static double Gaussian(Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
