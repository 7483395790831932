using AutoPass.Core.Build;

namespace AutoPass.Core.Build;

/// <summary>
/// Identity of a build's benchmark executables: equal fingerprints, equal programs, equal timings. Hashes the
/// sections a program runs from, so build ids and paths do not make identical code look different.
/// </summary>
internal static class ExecutableFingerprint
{
    public static string Of(IReadOnlyDictionary<string, string> executables) =>
        BinaryFingerprint.Combine(executables.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => BinaryFingerprint.Compute(e.Value)))[..16];
}
