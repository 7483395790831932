namespace AutoPass.Core.Evidence;

/// <summary>Why a trial ran. Written to the ledger in camel case ("screen").</summary>
internal enum TrialPhase
{
    /// <summary>The baseline against a copy of itself (A/A): noise, nothing else.</summary>
    Calibration,

    /// <summary>A candidate of the search, measured against the baseline.</summary>
    Screen,

    /// <summary>The winner without one flag, head to head against the winner.</summary>
    Minimize,

    /// <summary>The winner measured afresh against the baseline; only these figures are pinned.</summary>
    Confirm,
}

/// <summary>How far a candidate got towards binaries of its own.</summary>
internal enum BuildStatus
{
    /// <summary>Built; binaries of its own.</summary>
    Ok,

    /// <summary>The build failed.</summary>
    Failed,

    /// <summary>The policy gate or the compiler refused a flag; nothing was built.</summary>
    Rejected,

    /// <summary>Its binaries equal ones already measured; that measurement stands for it.</summary>
    Reused,
}
