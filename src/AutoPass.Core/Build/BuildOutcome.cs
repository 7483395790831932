namespace AutoPass.Core.Build;

/// <summary>The result of configuring and building one flag set.</summary>
/// <param name="Executables">CMake target name to the built executable's absolute path.</param>
/// <param name="CCompilerPath">The C compiler CMake chose (from its cache), when configure got that far.</param>
/// <param name="Log">Configure and build output, for errors and the ledger.</param>
public sealed record BuildOutcome(
    bool Succeeded,
    string BuildDirectory,
    IReadOnlyDictionary<string, string> Executables,
    string? CCompilerPath,
    string Log,
    BuildFailure? Failure = null);

public enum BuildFailureKind { Configure, Compile, TargetMissing, TargetNotExecutable, CompilerMissing, TimedOut }

public sealed record BuildFailure(BuildFailureKind Kind, string Message);
