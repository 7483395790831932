namespace AutoPass.Core.Search;

/// <summary>
/// A set of flags to try on top of the baseline, with who proposed it and why.
/// </summary>
/// <param name="Flags">Flags appended to the baseline flags, in order.</param>
/// <param name="Origin">The strategy or agent stage that proposed it ("screen", "combine", "ollama:proposer").</param>
/// <param name="Rationale">Why, in a sentence; shown in the ledger and the report.</param>
internal sealed record Candidate(IReadOnlyList<string> Flags, string Origin, string? Rationale = null)
{
    /// <summary>Identity of a candidate: its flags in order. Two candidates with equal keys are the same experiment.</summary>
    public string Key => string.Join(' ', Flags);

    public override string ToString() => Flags.Count == 0 ? "(baseline)" : Key;
}
