using AutoPass.Core.Evidence;
using AutoPass.Core.Pinning;

namespace AutoPass.Core.Session;

/// <summary>What a finished session produced.</summary>
/// <param name="Winner">The screening trial that won, before confirmation; null when none beat the baseline.</param>
/// <param name="Confirmation">The fresh measurement of the winner; null when there was no winner.</param>
public sealed record SessionResult(LockFile Lock, TrialRecord? Winner, TrialRecord? Confirmation, IReadOnlyList<TrialRecord> Trials, int ReusedMeasurements, string LedgerPath);
