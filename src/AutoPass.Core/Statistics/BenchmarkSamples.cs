namespace AutoPass.Core.Statistics;

/// <summary>The paired samples of one benchmark of a multi-benchmark objective.</summary>
public sealed record BenchmarkSamples(string Name, PairedSamples Samples);
