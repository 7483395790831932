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
        var (lockFile, _) = PinnedLockFile.LoadChecked(request, "Restore autopass.lock.json from version control, or retune (dotnet build -p:AutoPassTune=true, or autopass tune).",
            sink, rendered: false);
        PinnedFiles.Write(request.OutputDir, lockFile, request.SourceDir);
        sink.Info($"wrote {PinnedFiles.CMakeName} and {PinnedFiles.PropsName} in {request.OutputDir} from {PinnedFiles.LockName} ({lockFile.Compiler.Id} {lockFile.Compiler.VersionRange}); check them in");
        return Task.FromResult(0);
    }
}
