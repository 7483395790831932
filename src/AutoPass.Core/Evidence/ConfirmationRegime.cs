namespace AutoPass.Core.Evidence;

/// <summary>
/// One regime of a confirmation whose effect moved (pairs 1-based, inclusive): its speedup and interval, and what each
/// arm's runs took there (medians; CPU seconds when the runs have them), so a reader can see what the machine did.
/// </summary>
/// <param name="Claimed">Whether the claim rests on this regime (the conservative one).</param>
internal sealed record ConfirmationRegime(int FirstPair, int LastPair, double Speedup, double Low, double High,
    double BaselineSeconds, double? BaselineCpuSeconds, double CandidateSeconds, double? CandidateCpuSeconds, bool Claimed);
