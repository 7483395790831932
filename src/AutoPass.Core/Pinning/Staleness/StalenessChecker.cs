using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Pinning.Staleness;

/// <summary>
/// Verify mode's question: do the pinned flags still hold for the installed compiler? Returns findings as data,
/// empty when current; the caller decides whether they fail the build.
/// </summary>
internal static class StalenessChecker
{
    private const string Retune = "Re-run tuning (dotnet build -p:AutoPassTune=true) on this compiler and check in the new autopass/ files.";

    public static async Task<IReadOnlyList<StalenessFinding>> CheckAsync(PinnedToolchain pinned, CompilerInfo current, CancellationToken ct = default)
    {
        // The probe below compiles with the pinned flags: only flags the policy admits get there; the rest are findings.
        var (admitted, forbidden) = PinnedFlagGate.Judge(pinned);
        if (!string.Equals(pinned.CompilerId, current.Id, StringComparison.OrdinalIgnoreCase))
            // Another compiler: the pinned files leave the flags out of its builds (they check the compiler first), so it
            // builds as if nothing were pinned. Its flags are another vocabulary: probing them says nothing useful.
            return [new StalenessFinding(DiagnosticCode.PinnedSetForOtherCompiler,
                $"The flags were tuned for {pinned.CompilerId} {pinned.VersionRange.PrettyPrint()} but this build compiles with {current.Id} {current.Version} ({current.Path}): "
                + $"{PinnedFiles.CMakeName} and {PinnedFiles.PropsName} leave them out of its builds, which build without them.",
                $"Nothing to do when this build is meant to use {current.Id}. To tune for it, retune with it (dotnet build -p:AutoPassTune=true) and check in the new autopass/ files; the pinned set then serves {current.Id} instead.",
                Warning: true)];

        var findings = new List<StalenessFinding>(forbidden);
        if (!pinned.VersionRange.Satisfies(current.Version))
            findings.Add(new StalenessFinding(DiagnosticCode.PinnedStale,
                $"The flags were tuned for {pinned.CompilerId} {pinned.VersionRange.PrettyPrint()} but the compiler is {current.Version}.",
                Retune + " Or build with a compiler in the pinned range."));

        foreach (var rejection in await CompilerProbe.ProbeAsync(current, admitted, ct))
            findings.Add(new StalenessFinding(DiagnosticCode.PinnedFlagRejected,
                $"{current.Id} {current.Version} rejects the pinned flag '{rejection.Flag}': {rejection.Reason}",
                Retune + " Or remove the flag from autopass/autopass.lock.json and the generated files."));
        return findings;
    }
}
