namespace AutoPass.Core.Build;

/// <summary>The result of configuring and building one flag set.</summary>
/// <param name="Executables">CMake target name to the built executable's absolute path.</param>
/// <param name="CCompilerPath">The C compiler CMake chose (from its cache), when configure got that far.</param>
/// <param name="Log">Configure and build output, for errors and the ledger.</param>
/// <param name="CxxCompilerPath">The C++ compiler CMake chose (from its cache), when the project uses C++.</param>
internal sealed record BuildOutcome(
    bool Succeeded,
    string BuildDirectory,
    IReadOnlyDictionary<string, string> Executables,
    string? CCompilerPath,
    string Log,
    BuildFailure? Failure = null,
    string? CxxCompilerPath = null)
{
    /// <summary>True when both trees were built by the same C and C++ compilers (as their CMake caches say).</summary>
    public bool BuiltBySameCompilersAs(BuildOutcome other) =>
        string.Equals(CCompilerPath, other.CCompilerPath, StringComparison.Ordinal)
        && string.Equals(CxxCompilerPath, other.CxxCompilerPath, StringComparison.Ordinal);
}

internal enum BuildFailureKind { Configure, Compile, TargetMissing, TargetNotExecutable, CompilerMissing, TimedOut }

internal sealed record BuildFailure(BuildFailureKind Kind, string Message);
