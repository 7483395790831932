using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Pinning.Staleness;

/// <summary>
/// autopass.cmake and autopass.props are code every build of the project runs (CMake includes one, MSBuild imports the
/// other), so they are accepted only as AutoPass writes them: rendered again from the lock file and compared line by
/// line (line endings aside). An added execute_process, a second set(AUTOPASS_FLAGS ...), an extra ItemDefinitionGroup:
/// each is a difference, found before anything is configured or compiled.
/// </summary>
internal static class PinnedFilesRendered
{
    /// <summary>The longest part of a differing line a message quotes.</summary>
    private const int QuotedLength = 160;

    /// <summary>One AP5020 finding per pinned file that is not the rendering of <paramref name="lockFile"/>; a missing file is left to <see cref="PinnedSetConsistency"/>.</summary>
    /// <param name="topLevel">The output folder's own set (with a machine class, its files choose between the classes' sets); false: a class's set in classes/&lt;name&gt;/.</param>
    public static IReadOnlyList<StalenessFinding> Check(string outputDir, string sourceDir, LockFile lockFile, bool topLevel = true)
    {
        (string Props, string CMake) rendered;
        try { rendered = PinnedFiles.Render(outputDir, lockFile with { PinnedSet = lockFile.PinnedSet ?? PinnedFiles.SetId(lockFile) }, sourceDir, topLevel); }
        catch (ArgumentException e)
        {
            // A flag or path holding what a CMake string cannot ('"', '$', ';'): no session writes one.
            return [new StalenessFinding(DiagnosticCode.LockFileInvalid, $"{PinnedFiles.LockName} in '{outputDir}' cannot be rendered: {e.Message}",
                "Restore the autopass/ folder from version control, or retune and check in the new files.")];
        }
        var findings = new List<StalenessFinding>();
        foreach (var (name, expected) in new[] { (PinnedFiles.CMakeName, rendered.CMake), (PinnedFiles.PropsName, rendered.Props) })
        {
            string path = Path.Combine(outputDir, name);
            if (!File.Exists(path)) continue;
            if (FirstDifference(File.ReadAllText(path), expected) is { } difference)
                findings.Add(new StalenessFinding(DiagnosticCode.PinnedFileNotRendered,
                    $"{path} is not what {PinnedFiles.LockName} renders: {difference} Every build runs this file, so only the text AutoPass writes is accepted; nothing was configured or compiled."
                    + (lockFile.Tool.Version != ToolVersion.Current ? $" (The set was written by {lockFile.Tool.Name} {lockFile.Tool.Version}; this is AutoPass {ToolVersion.Current}, which may write it differently.)" : ""),
                    Fix(sourceDir, outputDir)));
        }
        return findings;
    }

    /// <summary>What to do about a pinned file that differs: restore, render again, or retune.</summary>
    public static string Fix(string sourceDir, string outputDir) =>
        "If the change is not yours, restore the autopass/ folder from version control. To write autopass.cmake and autopass.props again from the lock file, run "
        + $"'autopass render --source \"{sourceDir}\" --output \"{outputDir}\"' and check them in. For other flags, retune (dotnet build -p:AutoPassTune=true, or autopass tune) and check in the new files.";

    /// <summary>The first line where <paramref name="actual"/> differs from <paramref name="expected"/>, described; null when they are the same.</summary>
    internal static string? FirstDifference(string actual, string expected)
    {
        var have = Lines(actual);
        var want = Lines(expected);
        for (int i = 0; i < Math.Max(have.Length, want.Length); i++)
        {
            if (i < have.Length && i < want.Length && have[i] == want[i]) continue;
            int line = i + 1;
            return i >= want.Length ? $"line {line} is '{Quoted(have[i])}', past the end of the rendered file."
                : i >= have.Length ? $"it ends at line {line - 1}, where the rendered file goes on with '{Quoted(want[i])}'."
                : $"line {line} is '{Quoted(have[i])}' where the rendered file has '{Quoted(want[i])}'.";
        }
        return null;
    }

    /// <summary>Lines with any line ending (CRLF from a Windows checkout included); a final line ending ends the last line, as an editor shows it.</summary>
    private static string[] Lines(string text)
    {
        string normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return (normalized.EndsWith('\n') ? normalized[..^1] : normalized).Split('\n');
    }

    private static string Quoted(string line)
    {
        string printable = new(line.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return printable.Length <= QuotedLength ? printable : printable[..QuotedLength] + "...";
    }
}
