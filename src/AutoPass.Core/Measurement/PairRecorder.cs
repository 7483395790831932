using AutoPass.Core.Statistics;

namespace AutoPass.Core.Measurement;

/// <summary>One benchmark's pairs of runs (reference, candidate) as they accumulate, with everything the ledger keeps of them.</summary>
internal sealed class PairRecorder(string benchmark)
{
    private readonly List<double> _baseline = [], _candidate = [], _baselineCpu = [], _candidateCpu = [];
    private readonly List<long> _baselineInstructions = [], _candidateInstructions = [];
    private readonly List<bool> _candidateFirst = [];
    private readonly List<int> _padding = [];
    private readonly List<double> _load = [];

    public string Benchmark { get; } = benchmark;

    public int Count => _baseline.Count;

    /// <param name="load">The machine's load average when the pair ran, where known (<see cref="MachineLoad"/>).</param>
    public void Add(RunSample baseline, RunSample candidate, bool candidateFirst, int pad, double? load = null)
    {
        _baseline.Add(baseline.WallSeconds);
        _candidate.Add(candidate.WallSeconds);
        _baselineCpu.Add(baseline.CpuSeconds);
        _candidateCpu.Add(candidate.CpuSeconds);
        if (baseline.Instructions is { } bi && candidate.Instructions is { } ci) { _baselineInstructions.Add(bi); _candidateInstructions.Add(ci); }
        _candidateFirst.Add(candidateFirst);
        _padding.Add(pad);
        if (load is { } l && _load.Count == _padding.Count - 1) _load.Add(l);
    }

    /// <summary>The samples a verdict is computed from, chosen the same way as when the ledger is read back.</summary>
    public BenchmarkSamples Samples() => new(Benchmark, ToMeasurement(null).ObjectiveSamples());

    public BenchmarkMeasurement ToMeasurement(SpeedupVerdict? verdict) => new()
    {
        Benchmark = Benchmark,
        BaselineSeconds = _baseline,
        CandidateSeconds = _candidate,
        BaselineCpuSeconds = _baselineCpu,
        CandidateCpuSeconds = _candidateCpu,
        BaselineInstructions = _baselineInstructions,
        CandidateInstructions = _candidateInstructions,
        CandidateFirst = _candidateFirst,
        Padding = _padding,
        LoadAverage = _load.Count == _padding.Count ? _load : [],
        Verdict = verdict,
    };
}
