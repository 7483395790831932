using NuGet.Versioning;

namespace AutoPass.Core.Compilers;

/// <summary>The compiler a session tunes for, as it identified itself.</summary>
/// <param name="Id">"gcc" or "clang" (CMake's compiler id, lower case).</param>
/// <param name="Version">Parsed version (major.minor.patch).</param>
/// <param name="Path">Absolute path of the compiler driver.</param>
/// <param name="VersionText">The first line of <c>--version</c>, verbatim.</param>
internal sealed record CompilerInfo(string Id, NuGetVersion Version, string Path, string VersionText)
{
    /// <summary>
    /// The versions these flags are pinned for: the same major release. Flags and their meanings
    /// change across gcc/clang major versions; minor releases are bug fixes.
    /// </summary>
    public VersionRange PinnedRange =>
        new(new NuGetVersion(Version.Major, 0, 0), includeMinVersion: true,
            new NuGetVersion(Version.Major + 1, 0, 0), includeMaxVersion: false);
}
