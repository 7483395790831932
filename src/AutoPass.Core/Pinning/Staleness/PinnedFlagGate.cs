using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Policy;

namespace AutoPass.Core.Pinning.Staleness;

/// <summary>
/// The lock file is checked-in text that anyone with commit access can edit, and verify hands its flags to the compiler.
/// So they pass the same policy gate as every tuned candidate, before any compiler runs: a tampered file
/// (-wrapper, -fplugin=...) is reported, never executed.
/// </summary>
internal static class PinnedFlagGate
{
    /// <summary>
    /// The project-wide flags and every hot file's flags (<c>files[].flags</c>, which autopass.cmake and autopass.props
    /// apply to that file alone): one AP5007 finding per flag the policy denies.
    /// </summary>
    public static IReadOnlyList<StalenessFinding> Check(PinnedToolchain pinned, LockFile lockFile)
    {
        var findings = new List<StalenessFinding>(Judge(pinned).Denied);
        foreach (var file in lockFile.Files ?? [])
            findings.AddRange(Judge(pinned with { Flags = file.Flags }, $" for {file.Path}").Denied);
        return findings;
    }

    /// <summary>The pinned flags the policy admits, in order (-mllvm pairs whole), and a finding for each it denies.</summary>
    public static (IReadOnlyList<string> Admitted, IReadOnlyList<StalenessFinding> Denied) Judge(PinnedToolchain pinned) => Judge(pinned, "");

    private static (IReadOnlyList<string> Admitted, IReadOnlyList<StalenessFinding> Denied) Judge(PinnedToolchain pinned, string forFile)
    {
        // The opt-ins recorded with the flags: a set tuned with AutoPassAllowMachineSpecific=true may hold -march=native.
        // Opt-ins only ever admit optimization options, so an edited one cannot let a forbidden flag through.
        var policy = new FlagPolicy(pinned.Policy ?? new PolicyOptions());
        var admitted = new List<FlagUnit>();
        var denied = new List<StalenessFinding>();
        foreach (var unit in FlagUnit.Split(pinned.Flags))
        {
            var decision = policy.Evaluate(unit);
            if (decision.Allowed) admitted.Add(unit);
            else denied.Add(new StalenessFinding(DiagnosticCode.PinnedFlagForbidden,
                $"The lock file pins '{decision.Flag}'{forFile}, which AutoPass never passes to a compiler: {decision.Reason}. No compiler was run with it.",
                $"Restore {PinnedFiles.LockName} (and the other autopass/ files) from version control, or retune with -p:AutoPassTune=true and check in the new files."));
        }
        return (FlagUnit.Join(admitted), denied);
    }
}
