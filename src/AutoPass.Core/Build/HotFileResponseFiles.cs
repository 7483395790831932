using System.Text;
using AutoPass.Core.Compilers.Profiling;

namespace AutoPass.Core.Build;

/// <summary>
/// The hot files' flags in a hot-file build tree, one response file (<c>@file</c>, which gcc and clang read as more
/// arguments) per file: the tree's script names the response files rather than the flags, so a new flag set changes no
/// CMake input and needs no configure, only a rebuild of the files whose response file changed.
/// </summary>
internal sealed class HotFileResponseFiles(string treeDir, string sourceDir, IReadOnlyList<FileFlags> files)
{
    private string ResponseFile(int index) => Path.Combine(treeDir, "autopass-hot-flags", $"file-{index + 1}.rsp");

    /// <summary>The files as the tree's script names them: each with its response file as its one flag.</summary>
    public IReadOnlyList<FileFlags> Referenced =>
        files.Select((f, i) => new FileFlags(f.Path, ["@" + ResponseFile(i).Replace('\\', '/')])).ToList();

    /// <summary>
    /// Gives each file whose flags changed its new response file, after removing its object files (<see cref="RemoveObjects"/>):
    /// a run stopped in between leaves an object missing, to be compiled again, never one of the old flags beside the new
    /// response file. False when a changed file has no object file in the tree's compile commands.
    /// </summary>
    public async Task<bool> UpdateAsync(CancellationToken ct)
    {
        var changed = new List<(string Path, string Text, string Source)>();
        for (int i = 0; i < files.Count; i++)
        {
            string path = ResponseFile(i), text = Render(files[i].Flags);
            if (!File.Exists(path) || await File.ReadAllTextAsync(path, ct) != text)
                changed.Add((path, text, Path.GetFullPath(Path.Combine(sourceDir, files[i].Path))));
        }
        bool removed = RemoveObjects(treeDir, changed.Select(c => c.Source).ToList());
        foreach (var (path, text, _) in changed)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Renamed into place: a response file cut short would compile the next candidate with half its flags.
            await File.WriteAllTextAsync(path + ".tmp", text, ct);
            File.Move(path + ".tmp", path, overwrite: true);
        }
        return removed;
    }

    /// <summary>
    /// Removes the object files compiled from <paramref name="sources"/> (from the tree's compile_commands.json): the
    /// build tool sees them missing and recompiles them with their new response file, then relinks. False when a source
    /// has no object file there (its flags would not reach the build).
    /// </summary>
    public static bool RemoveObjects(string treeDir, IReadOnlyCollection<string> sources)
    {
        if (sources.Count == 0) return true;
        var missing = sources.ToHashSet(StringComparer.Ordinal);
        foreach (var entry in CompileCommands.Read(treeDir).Where(e => sources.Contains(e.File, StringComparer.Ordinal)))
        {
            File.Delete(entry.Output);
            missing.Remove(entry.File);
        }
        return missing.Count == 0;
    }

    /// <summary>A flag a line, quoted the way gcc's and clang's response-file reader unquotes it.</summary>
    internal static string Render(IReadOnlyList<string> flags)
    {
        var text = new StringBuilder();
        foreach (var flag in flags)
        {
            if (flag.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\'))
                text.Append('\'').Append(flag.Replace("\\", "\\\\").Replace("'", "\\'")).Append('\'');
            else text.Append(flag);
            text.Append('\n');
        }
        return text.ToString();
    }
}
