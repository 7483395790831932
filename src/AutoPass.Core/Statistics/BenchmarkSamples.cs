namespace AutoPass.Core.Statistics;

/// <summary>The paired samples of one benchmark of a multi-benchmark objective.</summary>
internal sealed record BenchmarkSamples(string Name, PairedSamples Samples);
