using AutoPass.Core.Diagnostics;

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

    public static IReadOnlyList<StalenessFinding> Check(string sourceDir, LockFile lockFile)
    {
        if (lockFile.Files is not { Count: > 0 } files) return [];
        var findings = new List<StalenessFinding>();
        Dictionary<string, List<string>>? byName = null;
        foreach (var file in files)
        {
            string path = Path.GetFullPath(Path.Combine(sourceDir, file.Path));
            if (!File.Exists(path))
            {
                byName ??= SourceFilesByName(sourceDir);
                string? movedTo = byName.GetValueOrDefault(Path.GetFileName(file.Path))?
                    .FirstOrDefault(candidate => LockSourceFile.HashOf(candidate) == file.Sha256);
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
