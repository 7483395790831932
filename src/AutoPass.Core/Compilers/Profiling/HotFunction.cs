namespace AutoPass.Core.Compilers.Profiling;

/// <summary>A function and its share of the program's executed instructions (self cost, not including callees).</summary>
/// <param name="Object">The binary or library the function is in.</param>
/// <param name="Share">Fraction of all instructions, 0..1.</param>
internal sealed record HotFunction(string Name, string? Object, long Instructions, double Share);
