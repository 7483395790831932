namespace AutoPass.Core.Evidence;

/// <summary>How the search ended: the screened winner, its minimized flags, and the fresh measurement that decides what is pinned.</summary>
internal sealed record Conclusion(TrialRecord? Winner, MinimizedWinner? Minimized, TrialRecord? Confirmation, IReadOnlyList<TrialRecord> Trials);

/// <summary>What one kept flag is worth: the winner's speedup over the winner without it.</summary>
internal sealed record FlagAttribution(string Flag, double Speedup, double Low, double High);

/// <summary>The shortest flag set that keeps the gain, and what each remaining flag contributes.</summary>
internal sealed record MinimizedWinner(IReadOnlyList<string> Flags, IReadOnlyList<FlagAttribution> Attribution, IReadOnlyList<TrialRecord> Trials);
