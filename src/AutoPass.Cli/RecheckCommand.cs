using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Reporting;
using AutoPass.Core.Session;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>
/// What a team runs nightly or after a compiler or OS upgrade: the pinned set and the baseline built afresh and measured
/// again on today's machine; exit 1 with AP2040 when the pinned speedup no longer holds.
/// </summary>
internal static class RecheckCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        // It builds and measures as a session does: the same checks of the request (benchmarks, source, the flags gate).
        SessionSetup.CheckRequest(request);
        string restore = "Restore the autopass/ folder from version control, or retune (dotnet build -p:AutoPassTune=true, or autopass tune) and check in all three files.";
        // What autopass build would build: the pinned files must be what the lock file renders, their flags allowed.
        var (lockFile, pinned, set, _) = PinnedLockFile.LoadChecked(request, restore, sink, rendered: true);

        // The chosen machine class's set is built from its own folder's autopass.cmake, as the dispatch would load it.
        var check = await new PinnedRecheck(request with { OutputDir = set.Dir }, lockFile, pinned, sink).RunAsync(ct);
        if (StepSummaryFile.For(request) is { } summary) StepSummaryFile.Append(summary, RecheckSummary.Markdown(request, lockFile, check));
        if (check.Status != PinnedClaimStatus.NothingClaimed) sink.Info(check.SummaryLine());
        if (check.Status == PinnedClaimStatus.NotHeld)
            throw new AutoPassException(DiagnosticCode.PinnedClaimNotHeld, $"The pinned speedup no longer holds: {check.Reason}.",
                "Retune on the machine as it is now (dotnet build -p:AutoPassTune=true, or autopass tune) and check in the new files; if the machine was only busy, recheck with more pairs (AutoPassRecheckPairs) first.");
        return CommandDispatcher.Succeeded;
    }
}
