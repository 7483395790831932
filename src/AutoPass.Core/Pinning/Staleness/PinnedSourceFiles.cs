using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Pinning.Staleness;

/// <summary>
/// Verify's check of per-file pinning (hot-file tuning): each source file the lock pins flags for is still where it
/// was (else an error, naming where a file with the same content went, when one did) and holds the code it held when
/// it was tuned (else a warning: its flags were chosen for other code and may no longer pay; an edit of comments or
/// layout alone is no change of code).
/// </summary>
internal static class PinnedSourceFiles
{
    private const string Retune = "Retune (dotnet build -p:AutoPassTune=true, or autopass tune) and check in the new autopass/ files";

    /// <summary>A source file larger than this is no source file a session tuned; verify does not read it.</summary>
    public const long MaxSourceBytes = 64L * 1024 * 1024;

    /// <summary>
    /// One AP5022 finding per pinned path that verify may not read: absolute, outside the project (the git repository,
    /// else the source directory), a link out of it, not a regular file, or too large. Run before anything hashes them.
    /// </summary>
    public static IReadOnlyList<StalenessFinding> CheckPaths(string sourceDir, LockFile lockFile, string? outputDir = null)
    {
        var findings = new List<StalenessFinding>();
        string root = ConfinedPath.ProjectRoot(sourceDir, outputDir);
        foreach (var file in lockFile.Files ?? [])
            if (PathProblem(root, sourceDir, file.Path, out _) is { } problem)
                findings.Add(new StalenessFinding(DiagnosticCode.PinnedPathRefused,
                    $"The lock file pins flags for '{file.Path}', which {problem}: verify reads no file outside the project and only regular files. Nothing was read.",
                    $"Restore {PinnedFiles.LockName} (and the other autopass/ files) from version control, or retune; a pinned path is relative to the CMake source directory and stays inside the repository."));
        return findings;
    }

    private static string? PathProblem(string root, string sourceDir, string relative, out string fullPath)
    {
        if (ConfinedPath.Problem(root, sourceDir, relative, out fullPath) is { } problem) return problem;
        var info = new FileInfo(fullPath);
        return info.Exists && info.Length > MaxSourceBytes ? $"is {info.Length} bytes, more than a tuned source file ({MaxSourceBytes})" : null;
    }

    public static IReadOnlyList<StalenessFinding> Check(string sourceDir, LockFile lockFile, string? outputDir = null)
    {
        if (lockFile.Files is not { Count: > 0 } files) return [];
        var findings = new List<StalenessFinding>(CheckPaths(sourceDir, lockFile, outputDir));
        string root = ConfinedPath.ProjectRoot(sourceDir, outputDir);
        Dictionary<string, List<string>>? byName = null;
        foreach (var file in files)
        {
            if (PathProblem(root, sourceDir, file.Path, out string path) is not null) continue;
            if (!File.Exists(path))
            {
                byName ??= SourceFilesByName(sourceDir);
                string? movedTo = byName.GetValueOrDefault(Path.GetFileName(file.Path))?
                    .FirstOrDefault(candidate => ConfinedPath.KindOf(candidate) == ConfinedPath.Kind.Regular
                        && new FileInfo(candidate).Length <= MaxSourceBytes && LockSourceFile.HashOf(candidate) == file.Sha256);
                findings.Add(new StalenessFinding(DiagnosticCode.PinnedFileMissing,
                    movedTo is null
                        ? $"{file.Path} has flags pinned for it ({string.Join(' ', file.Flags)}) but is no longer in {sourceDir}: the build no longer compiles the file they were tuned for."
                        : $"{file.Path} has flags pinned for it ({string.Join(' ', file.Flags)}) but moved to {Path.GetRelativePath(sourceDir, movedTo).Replace('\\', '/')}: the pinned files name the old path, so the moved file builds without them.",
                    Retune + " (the session finds the hot files afresh)."));
                continue;
            }
            // Only a change to the code counts: comments and layout alone (same code hash) leave the flags as good as they were.
            if (LockSourceFile.HashOf(path) != file.Sha256 && (file.CodeSha256 is null || LockSourceFile.CodeHashOf(path) != file.CodeSha256))
                findings.Add(new StalenessFinding(DiagnosticCode.PinnedFileChanged,
                    $"{file.Path} changed since its flags ({string.Join(' ', file.Flags)}) were tuned on it: they were chosen for the code it held then and may no longer pay, or may now cost.",
                    Retune + " when the change touched its hot code; the build still applies the pinned flags meanwhile.", Warning: true));
        }
        return findings;
    }

    /// <summary>The source tree's files by name, without build trees and version control folders.</summary>
    private static Dictionary<string, List<string>> SourceFilesByName(string sourceDir)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var pending = new Stack<string>([sourceDir]);
        while (pending.Count > 0)
        {
            string directory = pending.Pop();
            if (File.Exists(Path.Combine(directory, "CMakeCache.txt"))) continue;
            try
            {
                foreach (var sub in Directory.EnumerateDirectories(directory))
                    if (Path.GetFileName(sub) is not (".git" or "obj" or "bin" or "node_modules")) pending.Push(sub);
                foreach (var file in Directory.EnumerateFiles(directory))
                {
                    if (!byName.TryGetValue(Path.GetFileName(file), out var list)) byName[Path.GetFileName(file)] = list = [];
                    list.Add(file);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return byName;
    }
}
