using AutoPass.Core.Compilers;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Processes;
using AutoPass.Core.Workload;
using NuGet.Versioning;

namespace AutoPass.Cli;

/// <summary>CI's check: the pinned flags still fit the installed compiler.</summary>
public static class VerifyCommand
{
    public static async Task<int> RunAsync(TuningRequest request, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        string path = Path.Combine(request.OutputDir, PinnedFiles.LockName);
        if (!File.Exists(path))
            throw new AutoPassException(DiagnosticCode.LockFileInvalid, $"There is no lock file at {path}.", "Run a tuning session with -p:AutoPassTune=true and check in the autopass/ folder.");
        LockFile lockFile;
        try { lockFile = LockFile.Parse(await File.ReadAllTextAsync(path, ct)); }
        catch (System.Text.Json.JsonException e)
        {
            throw new AutoPassException(DiagnosticCode.LockFileInvalid, $"The lock file {path} is not valid: {e.Message}", "Restore it from version control or retune.");
        }

        string compilerPath = request.CCompiler ?? Environment.GetEnvironmentVariable("CC") ?? (lockFile.Compiler.Id == "clang" ? "clang" : "cc");
        string resolved = ExternalTool.FindOnPath(compilerPath) ?? compilerPath;
        var compiler = await CompilerProbe.IdentifyAsync(resolved, ct);
        var range = VersionRange.Parse(lockFile.Compiler.VersionRange);
        if (compiler.Id != lockFile.Compiler.Id || !range.Satisfies(compiler.Version))
            throw new AutoPassException(DiagnosticCode.PinnedStale,
                $"The flags were pinned for {lockFile.Compiler.Id} {lockFile.Compiler.VersionRange}, but the compiler is {compiler.Id} {compiler.Version}.",
                "Retune with -p:AutoPassTune=true on this compiler and check in the new autopass/ files.");
        var rejected = await CompilerProbe.RejectedFlagsAsync(compiler, lockFile.Baseline.Flags.Concat(lockFile.Flags).ToList(), ct);
        if (rejected.Count > 0)
            throw new AutoPassException(DiagnosticCode.PinnedFlagRejected,
                $"{compiler.Id} {compiler.Version} rejects pinned flags: {string.Join(' ', rejected)}.",
                "Retune with -p:AutoPassTune=true and check in the new autopass/ files.");
        sink.Info($"pinned flags are current for {compiler.Id} {compiler.Version} ({lockFile.Compiler.VersionRange})");
        return 0;
    }
}
