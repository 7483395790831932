namespace AutoPass.Core.Statistics;

/// <summary>
/// Times of baseline and candidate runs, paired by index: pair i ran back to back, in random order,
/// under the same environment padding. Seconds.
/// </summary>
internal sealed record PairedSamples
{
    public PairedSamples(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        if (baseline.Count != candidate.Count)
            throw new ArgumentException("Paired samples need as many baseline as candidate times.");
        if (baseline.Concat(candidate).Any(t => !(t > 0)))
            throw new ArgumentException("Times must be positive.");
        Baseline = baseline;
        Candidate = candidate;
    }

    public IReadOnlyList<double> Baseline { get; }
    public IReadOnlyList<double> Candidate { get; }
    public int Count => Baseline.Count;

    /// <summary>d_i = ln(candidate_i / baseline_i); negative means the candidate was faster.</summary>
    public double[] LogRatios() => Enumerable.Range(0, Count).Select(i => Math.Log(Candidate[i] / Baseline[i])).ToArray();
}
