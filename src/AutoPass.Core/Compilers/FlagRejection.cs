namespace AutoPass.Core.Compilers;

/// <summary>A flag (or <c>-mllvm</c> pair, as its display string) the compiler would not take, and what it said.</summary>
internal sealed record FlagRejection(string Flag, string Reason);
