using System.Text.RegularExpressions;

namespace AutoPass.Core.Tests;

/// <summary>
/// The engine's folders form a pipeline: each may use only the folders before it (docs/ARCHITECTURE.md), so
/// data flows one way and the folder graph has no cycles.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] Layers =
    [
        "Diagnostics", "Processes", "Statistics", "Compilers", "Policy", "Workload", "Build", "Measurement",
        "Check", "Racing", "Evidence", "Search", "Agents", "Pinning", "Reporting", "Session",
    ];

    [GeneratedRegex(@"^using AutoPass\.Core\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])AutoPass\.Core\.(\w+)\.")]
    private static partial Regex QualifiedName();

    [Fact]
    public void Every_folder_uses_only_the_folders_before_it()
    {
        string core = Path.Combine(RepoRoot(), "src", "AutoPass.Core");
        var folders = Directory.GetDirectories(core).Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")).ToList();
        Assert.Equal(Layers.Order(), folders.Order());

        var violations = new List<string>();
        foreach (var folder in Layers)
        {
            int rank = Array.IndexOf(Layers, folder);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories))
            {
                string text = File.ReadAllText(file);
                var used = UsingDirective().Matches(text).Concat(QualifiedName().Matches(text)).Select(m => m.Groups[1].Value).Distinct();
                foreach (var other in used.Where(u => Array.IndexOf(Layers, u) >= rank && u != folder))
                    violations.Add($"{Path.GetRelativePath(core, file)} uses {other}");
            }
        }
        Assert.Empty(violations);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoPass.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("AutoPass.Build.sln not found above " + AppContext.BaseDirectory);
    }
}
