namespace AutoPass.Core.Compilers;

/// <summary>A spelled flag resolved against a catalog: which option, and the value it sets ("true"/"false" for toggles).</summary>
internal sealed record FlagMatch(FlagDefinition Definition, string Value);
