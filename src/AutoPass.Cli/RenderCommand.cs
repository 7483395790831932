using AutoPass.Core.Pinning;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>
/// Writes autopass.cmake and autopass.props again from the checked-in lock file, as the session wrote them: what
/// verify's AP5020 asks for after a hand edit, a bad merge, or an upgrade of AutoPass that writes them differently.
/// </summary>
internal static class RenderCommand
{
    public static Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // The lock file is checked-in text too: flags the policy denies are never written into files every build runs.
        var (_, _, _, sets) = PinnedLockFile.LoadChecked(request, "Restore autopass.lock.json from version control, or retune (dotnet build -p:AutoPassTune=true, or autopass tune).",
            sink, rendered: false);
        // Every machine class's set, the top-level one (which names the others) last.
        foreach (var set in sets.Reverse())
        {
            PinnedFiles.WriteSet(set.Dir, set.Lock, request.SourceDir, set.TopLevel);
            sink.Info($"wrote {PinnedFiles.CMakeName} and {PinnedFiles.PropsName} in {set.Dir} from {PinnedFiles.LockName} ({set.Lock.Compiler.Id} {set.Lock.Compiler.VersionRange}"
                + (set.ClassName is null ? "" : $", machine class {set.ClassName}") + "); check them in");
        }
        return Task.FromResult(0);
    }
}
