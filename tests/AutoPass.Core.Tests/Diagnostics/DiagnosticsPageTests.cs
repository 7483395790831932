using System.Text.RegularExpressions;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Tests.Diagnostics;

/// <summary>docs/diagnostics.md explains every AP code the sources can emit, and nothing else.</summary>
public sealed class DiagnosticsPageTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoPass.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("AutoPass.Build.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every code written as a literal in the engine, the program, the task or the targets.</summary>
    private static SortedSet<string> CodesInSources()
    {
        string src = Path.Combine(RepoRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoRoot(), "build")));
        return new(files.SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"(AP\\d{4})\"").Select(m => m.Groups[1].Value)));
    }

    private static string Page() => File.ReadAllText(Path.Combine(RepoRoot(), "docs", "diagnostics.md"));

    /// <summary>code → its entry's text (heading to the next heading).</summary>
    private static Dictionary<string, string> Entries() =>
        Regex.Split(Page(), @"^## ", RegexOptions.Multiline).Skip(1)
            .ToDictionary(section => section.Split('\n')[0].Trim(), section => section);

    [Fact]
    public void Every_code_the_sources_emit_has_an_entry_and_every_entry_is_a_code_they_emit()
    {
        var emitted = CodesInSources();
        var documented = new SortedSet<string>(Entries().Keys);

        Assert.True(emitted.Count > 40, "the scan found too few codes: " + string.Join(", ", emitted));
        Assert.Empty(emitted.Except(documented));   // codes without an entry
        Assert.Empty(documented.Except(emitted));   // entries for codes that do not exist
    }

    [Fact]
    public void Every_entry_says_what_causes_it_and_what_fixes_it()
    {
        foreach (var (code, entry) in Entries())
        {
            Assert.Matches(@"^AP\d{4}$", code);
            Assert.Matches(@"\*\*[^*]+\.\*\* (Error|Warning)", entry);
            Assert.Contains("**Fix:** ", entry);
        }
    }

    [Fact]
    public void The_help_link_of_a_code_is_its_heading_anchor_on_the_page()
    {
        // GitHub's anchor of "## AP1030" is "ap1030".
        Assert.EndsWith("/docs/diagnostics.md#ap1030", DiagnosticCode.HelpLink(DiagnosticCode.SessionInProgress));
        Assert.StartsWith("https://", DiagnosticCode.Page);
        Assert.Contains("## AP1030\n", Page().ReplaceLineEndings("\n"));
    }
}
