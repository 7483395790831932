using System.Globalization;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Pinning;

/// <summary>What a recheck concluded about the pinned claim.</summary>
internal enum PinnedClaimStatus
{
    /// <summary>The re-measured lower bound clears 1 + δ and the re-measured interval meets the pinned one.</summary>
    Holds,
    /// <summary>The gain is no longer shown, or the re-measured interval lies wholly outside the pinned one (AP2040).</summary>
    NotHeld,
    /// <summary>The lock pinned the baseline: there is no speedup to hold.</summary>
    NothingClaimed,
}

/// <summary>
/// The pinned speedup against its re-measurement on today's machine: a claim holds when the re-measured interval's lower
/// bound is at least 1 + the minimum effect and the re-measured interval meets the interval the lock file pins (both are
/// estimates; intervals apart say the effect moved).
/// </summary>
/// <param name="Claimed">The lock file's confirmed speedup; null when nothing was claimed.</param>
/// <param name="Measured">The re-measurement; null when nothing was claimed (nothing is measured then).</param>
/// <param name="MinEffect">The minimum effect δ the lower bound must clear.</param>
internal sealed record PinnedClaimCheck(PinnedClaimStatus Status, LockSpeedup? Claimed, CombinedVerdict? Measured, double MinEffect, string Reason)
{
    /// <summary>The lock file claims a speedup to recheck: flags were pinned on top of the baseline, with a confirmed speedup.</summary>
    public static bool Claims(LockFile lockFile) => lockFile.Outcome == "improved" && lockFile.Flags.Count > 0 && lockFile.Speedup is not null;

    public static PinnedClaimCheck NothingClaimed(LockFile lockFile, double minEffect) => new(PinnedClaimStatus.NothingClaimed, null, null, minEffect,
        lockFile.Flags.Count == 0 ? "the lock file pins the baseline: no speedup was claimed" : "the lock file pins flags but no confirmed speedup");

    public static PinnedClaimCheck Judge(LockSpeedup claimed, CombinedVerdict measured, double minEffect)
    {
        double floor = 1 + minEffect;
        if (measured.Low < floor)
            return new(PinnedClaimStatus.NotHeld, claimed, measured, minEffect,
                Inv($"the re-measured lower bound {measured.Low:0.000} is below 1 + the minimum effect ({floor:0.000}): the gain is no longer shown"));
        // Both figures are estimates: only intervals that do not meet say the effect moved. An estimate outside the
        // pinned interval alone happens on about one night in four on an unchanged machine (30 pairs against 60).
        if (measured.High < claimed.Low || measured.Low > claimed.High)
            return new(PinnedClaimStatus.NotHeld, claimed, measured, minEffect,
                Inv($"the re-measured speedup {measured.Speedup:0.000}x [{measured.Low:0.000}, {measured.High:0.000}] left the pinned interval [{claimed.Low:0.000}, {claimed.High:0.000}] ({(measured.High < claimed.Low ? "below" : "above")} it, the two intervals apart)"));
        return new(PinnedClaimStatus.Holds, claimed, measured, minEffect,
            Inv($"the re-measured interval meets the pinned one and its lower bound {measured.Low:0.000} clears 1 + the minimum effect ({floor:0.000})"));
    }

    /// <summary>The line a person reads: the re-measured speedup and interval next to the pinned ones.</summary>
    public string SummaryLine() => Status switch
    {
        PinnedClaimStatus.NothingClaimed => $"recheck: nothing claimed ({Reason}); the pinned set builds",
        _ => Inv($"recheck: re-measured {Measured!.Speedup:0.000}x [{Measured.Low:0.000}, {Measured.High:0.000}] in {Measured.Pairs} pairs, pinned {Claimed!.Estimate:0.000}x [{Claimed.Low:0.000}, {Claimed.High:0.000}]: ")
             + (Status == PinnedClaimStatus.Holds ? "the claim holds" : "the claim no longer holds") + $" ({Reason})",
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
