using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Pinning.Staleness;

/// <summary>
/// Verify's check that autopass.props and autopass.cmake are the lock file's set: the same set id (a write that
/// stopped between renames leaves ids that differ) and the same flags (what builds is what the lock says was tuned).
/// </summary>
internal static partial class PinnedSetConsistency
{
    private const string Restore =
        "Restore the autopass/ folder from version control as one commit, or retune with -p:AutoPassTune=true and check in all three files.";

    public static IReadOnlyList<StalenessFinding> Check(string outputDir, LockFile lockFile)
    {
        string lockFlags = string.Join(' ', lockFile.ProjectFlags);
        string lockFiles = string.Join("\n", (lockFile.Files ?? []).Select(f => $"{f.Path}: {string.Join(' ', f.Flags)}"));
        var findings = new List<StalenessFinding>();
        var props = ReadProps(Path.Combine(outputDir, PinnedFiles.PropsName), findings);
        var cmake = ReadCMake(Path.Combine(outputDir, PinnedFiles.CMakeName), findings);

        var ids = new (string File, string? Id)[] { (PinnedFiles.PropsName, props?.SetId), (PinnedFiles.CMakeName, cmake?.SetId), (PinnedFiles.LockName, lockFile.PinnedSet) };
        // Files written before set ids existed carry none; then only their flags can be compared.
        bool anyId = ids.Any(i => i.Id is not null);
        if (anyId && props is not null && cmake is not null && ids.Select(i => i.Id).Distinct().Count() > 1)
            findings.Add(new StalenessFinding(DiagnosticCode.PinnedSetMixed,
                $"The pinned files in '{outputDir}' are not one set ({string.Join(", ", ids.Select(i => $"{i.File}: {i.Id ?? "none"}"))}): a write was interrupted between files, or one was edited or merged on its own.",
                Restore));

        foreach (var (file, flags) in new[] { (PinnedFiles.PropsName, props?.Flags), (PinnedFiles.CMakeName, cmake?.Flags) })
            if (flags is not null && flags != lockFlags)
                findings.Add(new StalenessFinding(DiagnosticCode.PinnedFilesDisagree,
                    $"{file} applies the flags '{flags}' but {PinnedFiles.LockName} pins '{lockFlags}'.", Restore));
        foreach (var (file, files) in new[] { (PinnedFiles.PropsName, props?.Files), (PinnedFiles.CMakeName, cmake?.Files) })
            if (files is not null && files != lockFiles)
                findings.Add(new StalenessFinding(DiagnosticCode.PinnedFilesDisagree,
                    $"{file} gives source files the flags [{files.Replace("\n", "; ")}] but {PinnedFiles.LockName} pins [{lockFiles.Replace("\n", "; ")}].", Restore));
        return findings;
    }

    /// <param name="Files">"path: flags" a line, per pinned source file (the path as the lock file names it).</param>
    private sealed record PinnedContent(string Flags, string? SetId, string? Files = null);

    private static PinnedContent? ReadProps(string path, List<StalenessFinding> findings)
    {
        if (Missing(path, findings)) return null;
        XDocument props;
        try { props = XDocument.Load(path); }
        catch (XmlException e)
        {
            findings.Add(new StalenessFinding(DiagnosticCode.PinnedFilesDisagree, $"{path} is not valid XML, so no build can import it: {e.Message}", Restore));
            return null;
        }
        if (props.Descendants("AutoPassCFlags").FirstOrDefault() is not { } flags)
        {
            findings.Add(new StalenessFinding(DiagnosticCode.PinnedFilesDisagree, $"{path} sets no AutoPassCFlags.", Restore));
            return null;
        }
        // Per-file items: <ClCompile Update="$(MSBuildThisFileDirectory)..\\src\\a.cpp"> with the flags after %(AdditionalOptions).
        var files = props.Descendants().Where(e => e.Name.LocalName == "ClCompile" && e.Attribute("Update") is not null)
            .Select(e => (Update: e.Elements().FirstOrDefault(m => m.Name.LocalName == "AutoPassPinnedPath")?.Value ?? (string)e.Attribute("Update")!, Flags: (e.Elements().FirstOrDefault(m => m.Name.LocalName == "AdditionalOptions")?.Value ?? "").Replace("%(AdditionalOptions)", "").Trim()))
            .Select(f => $"{f.Update}: {f.Flags}").ToList();
        return new PinnedContent(flags.Value, props.Descendants(PinnedFiles.PinnedSetProperty).FirstOrDefault()?.Value, files.Count == 0 ? "" : string.Join("\n", files));
    }

    private static PinnedContent? ReadCMake(string path, List<StalenessFinding> findings)
    {
        if (Missing(path, findings)) return null;
        string script = File.ReadAllText(path);
        if (FlagsLine().Match(script) is not { Success: true } line)
        {
            findings.Add(new StalenessFinding(DiagnosticCode.PinnedFilesDisagree, $"{path} has no set(AUTOPASS_FLAGS ...) line.", Restore));
            return null;
        }
        string flags = string.Join(' ', QuotedFlag().Matches(line.Groups["flags"].Value).Select(m => m.Groups[1].Value));
        var id = SetIdLine().Match(script);
        var files = FileLine().Matches(script).Select(m => QuotedFlag().Matches(m.Groups["values"].Value).Select(q => q.Groups[1].Value).ToList())
            .Where(values => values.Count > 0).Select(values => $"{values[0]}: {string.Join(' ', values.Skip(1))}");
        return new PinnedContent(flags, id.Success ? id.Groups["id"].Value : null, string.Join("\n", files));
    }

    private static bool Missing(string path, List<StalenessFinding> findings)
    {
        if (File.Exists(path)) return false;
        findings.Add(new StalenessFinding(DiagnosticCode.PinnedFilesDisagree,
            $"{path} is missing; it is written with {PinnedFiles.LockName} and checked in with it.", Restore));
        return true;
    }

    [GeneratedRegex(@"^set\(AUTOPASS_FLAGS(?<flags>(?: ""[^""\n]*"")*)\)\r?$", RegexOptions.Multiline)]
    private static partial Regex FlagsLine();

    [GeneratedRegex(@"^set\(AUTOPASS_FILE_\d+(?<values>(?: ""[^""\n]*"")*)\)\r?$", RegexOptions.Multiline)]
    private static partial Regex FileLine();

    [GeneratedRegex(@"""([^""\n]*)""")]
    private static partial Regex QuotedFlag();

    [GeneratedRegex("^# " + PinnedFiles.CMakePinnedSetLabel + "(?<id>[0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex SetIdLine();
}
