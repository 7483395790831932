namespace AutoPass.Core.Build;

/// <summary>
/// Identity of a build's benchmark programs: equal fingerprints, equal programs, equal timings. Hashes the sections a
/// program runs from, so build ids and paths do not make identical code look different; and with each program, the
/// project's own shared libraries it loads, so a candidate that changes only a library's code is timed, not taken for
/// the baseline.
/// </summary>
internal static class ExecutableFingerprint
{
    /// <summary>Libraries loaded through libraries, at most this deep: a cycle or a long chain ends here.</summary>
    private const int MaxDepth = 8;

    public static string Of(IReadOnlyDictionary<string, string> executables)
    {
        var programs = executables.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => BinaryFingerprint.Compute(e.Value)).ToList();
        var libraries = executables.Values.SelectMany(ProjectLibraries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(BinaryFingerprint.Compute).ToList();
        // With no library of its own, the fingerprint is the programs' alone, as sessions before this recorded it.
        return BinaryFingerprint.Combine(programs.Concat(libraries))[..16];
    }

    /// <summary>
    /// The shared libraries <paramref name="executable"/> loads from its own run path (DT_RUNPATH/DT_RPATH, $ORIGIN
    /// expanded), and those they load from theirs: the project's libraries, since CMake points a build tree's programs
    /// at the tree's own library directories. Libraries of the system (found through the loader's default directories)
    /// are no candidate's to change and are left out.
    /// </summary>
    public static IReadOnlyList<string> ProjectLibraries(string executable)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(string Path, int Depth)>([(executable, 0)]);
        while (pending.TryDequeue(out var current))
        {
            var (needed, searchPath) = BinaryFingerprint.DynamicDependencies(current.Path);
            string origin = Path.GetDirectoryName(Path.GetFullPath(current.Path))!;
            var directories = searchPath.Select(d => d.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal))
                .Where(Path.IsPathRooted).ToList();
            foreach (string name in needed)
            {
                string? library = name.Contains('/')
                    ? Path.GetFullPath(name, origin)
                    : directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
                if (library is null || !File.Exists(library) || !seen.Add(Path.GetFullPath(library))) continue;
                found.Add(Path.GetFullPath(library));
                if (current.Depth + 1 < MaxDepth) pending.Enqueue((library, current.Depth + 1));
            }
        }
        return found;
    }
}
