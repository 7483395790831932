namespace AutoPass.Core.Statistics;

/// <summary>One benchmark's own verdict inside a <see cref="CombinedVerdict"/>.</summary>
internal sealed record BenchmarkVerdict(string Name, SpeedupVerdict Verdict);
