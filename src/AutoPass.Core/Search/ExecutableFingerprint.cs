using System.Security.Cryptography;

namespace AutoPass.Core.Search;

/// <summary>Identity of a build's benchmark executables: equal fingerprints, equal programs, equal timings.</summary>
public static class ExecutableFingerprint
{
    public static string Of(IReadOnlyDictionary<string, string> executables)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (target, path) in executables.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(target + "\0"));
            hash.AppendData(File.ReadAllBytes(path));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
