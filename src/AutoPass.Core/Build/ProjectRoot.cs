using AutoPass.Core.Workload;

namespace AutoPass.Core.Build;

/// <summary>
/// Where a project's own sources live: the directory that holds the CMake source directory and every source file the
/// project's targets compile, so a CMakeLists.txt in <c>build/cmake</c> or <c>cmake/</c> with its sources in
/// <c>lib/</c> beside it is one project. Never above the repository root, nor the filesystem root.
/// </summary>
internal static class ProjectRoot
{
    /// <summary>The project's root for <paramref name="sourceDir"/>, from the sources its targets compile.</summary>
    /// <param name="compiledSources">Absolute paths; those in <paramref name="buildDir"/> (generated) are not the project's.</param>
    public static string Find(string sourceDir, string buildDir, IEnumerable<string> compiledSources)
    {
        string source = Normalize(sourceDir);
        string build = Normalize(buildDir);
        string? repository = ConfinedPath.RepositoryRoot(source);
        string root = source;
        foreach (var file in compiledSources)
        {
            string path = Path.GetFullPath(file);
            if (IsUnder(path, build)) continue;
            // Sources outside the repository (a system or sibling checkout) are dependencies, not the project.
            if (repository is not null && !IsUnder(path, repository)) continue;
            string ancestor = CommonAncestor(root, Path.GetDirectoryName(path)!);
            if (repository is null && Path.GetPathRoot(ancestor) == ancestor) continue;
            root = ancestor;
        }
        return root;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or inside it.</summary>
    public static bool IsUnder(string path, string directory) => ConfinedPath.IsWithin(Normalize(path), Normalize(directory));

    private static string CommonAncestor(string a, string b)
    {
        var left = Normalize(a);
        var right = Normalize(b);
        while (!IsUnder(right, left))
            left = Path.GetDirectoryName(left) ?? Path.GetPathRoot(left)!;
        return left;
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) is { Length: > 0 } p ? p : Path.GetFullPath(path);
}
