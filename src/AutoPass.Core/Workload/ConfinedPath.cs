using System.Runtime.InteropServices;

namespace AutoPass.Core.Workload;

/// <summary>
/// Paths that checked-in text names (a lock file's source files, a benchmark's output files) are read, hashed and
/// deleted, so they must stay inside the project and name regular files: an absolute path, one that climbs out, a
/// symbolic link out of the tree, a FIFO (which blocks its reader forever) or a device (/dev/zero never ends) is refused
/// before anything opens it.
/// </summary>
internal static partial class ConfinedPath
{
    /// <summary>The kind of file a path names, without following a final symbolic link.</summary>
    public enum Kind { Missing, Regular, Directory, SymbolicLink, Other }

    /// <summary>
    /// The directory a lock file's paths may reach: the git repository holding <paramref name="sourceDir"/> (a CMake
    /// project in build/cmake names its sources ../../lib/x.c); without one, the common parent of the source directory
    /// and the folder the pinned files are checked in beside (<paramref name="outputDir"/>'s parent), else the source directory.
    /// </summary>
    public static string ProjectRoot(string sourceDir, string? outputDir = null)
    {
        string start = Path.GetFullPath(sourceDir);
        if (RepositoryRoot(start) is { } repository) return repository;
        if (outputDir is null || Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDir))) is not { } beside) return start;
        string root = start;
        while (!IsWithin(beside, root) && Path.GetDirectoryName(root) is { } parent) root = parent;
        // Never the filesystem root: pinned files far from the project confine nothing.
        return Path.GetPathRoot(root) == root ? start : root;
    }

    /// <summary>The nearest directory at or above <paramref name="directory"/> holding a <c>.git</c> entry, or null.</summary>
    public static string? RepositoryRoot(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                return Path.TrimEndingDirectorySeparator(dir.FullName);
        return null;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or inside it (both full paths).</summary>
    public static bool IsWithin(string path, string directory) =>
        path == directory || path.StartsWith(Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// Why <paramref name="relative"/> (resolved from <paramref name="baseDir"/>) may not be read, or null; a missing
    /// file is no problem here (the caller decides what a missing file means). <paramref name="fullPath"/> is where it resolves.
    /// </summary>
    public static string? Problem(string root, string baseDir, string relative, out string fullPath)
    {
        fullPath = "";
        if (string.IsNullOrWhiteSpace(relative) || relative.Any(char.IsControl))
            return "is empty or holds control characters";
        if (Path.IsPathRooted(relative))
            return "is an absolute path; it must be relative to the project";
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        fullPath = Path.GetFullPath(Path.Combine(baseDir, relative));
        if (!IsInside(root, fullPath)) return $"leaves {root}";
        // Every existing directory on the way and the file itself must stay inside once links are followed.
        string real;
        try { real = RealPath(fullPath); }
        catch (IOException) { return "is a symbolic link that cannot be followed (a loop)"; }
        // The root may itself be reached through a link (macOS's /tmp): compare with it resolved too.
        if (!IsInside(root, real) && !IsInside(RealPath(root), real)) return $"is a symbolic link to {real}, outside {root}";
        return KindOf(real) switch
        {
            Kind.Missing or Kind.Regular => null,
            Kind.Directory => "is a directory, not a file",
            _ => "is not a regular file (a FIFO, a device or a socket)",
        };
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsInside(string root, string path)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string relative = Path.GetRelativePath(root, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, comparison)
            && !relative.StartsWith("../", comparison) && !Path.IsPathRooted(relative);
    }

    /// <summary>The path with every symbolic link on its existing part followed (the missing rest appended as it is).</summary>
    private static string RealPath(string fullPath)
    {
        string current = Path.GetPathRoot(fullPath)!;
        var parts = fullPath[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            var kind = KindOf(next);
            if (kind == Kind.Missing) return Path.Combine([current, .. parts[i..]]);
            if (kind == Kind.SymbolicLink)
            {
                var target = new FileInfo(next).ResolveLinkTarget(returnFinalTarget: true);
                if (target is null) return Path.Combine([next, .. parts[(i + 1)..]]);
                next = Path.GetFullPath(target.FullName);
            }
            current = next;
        }
        return current;
    }

    /// <summary>The kind of file at <paramref name="path"/>, without following a final link.</summary>
    public static Kind KindOf(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            // statx's layout is the same on every Linux architecture: the mode is a 16-bit field at offset 28.
            var buffer = new byte[256];
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0) return Kind.Missing;
            return (BitConverter.ToUInt16(buffer, 28) & 0xF000) switch
            {
                0x8000 => Kind.Regular,
                0x4000 => Kind.Directory,
                0xA000 => Kind.SymbolicLink,
                _ => Kind.Other,
            };
        }
        // Elsewhere .NET tells links and directories apart, not FIFOs or devices from files.
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return Kind.SymbolicLink;
        if (Directory.Exists(path)) return Kind.Directory;
        return info.Exists ? Kind.Regular : Kind.Missing;
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
