using System.Globalization;
using System.Security;
using System.Text;
using AutoPass.Core.Build;

namespace AutoPass.Core.Pinning;

/// <summary>
/// autopass.props: the pinned flags for Visual Studio (MSBuild C++) projects. They reach a project's ClCompile only
/// where its toolset is the compiler they were tuned for: gcc flags go to VS's Linux gcc toolsets, clang flags to its
/// Linux clang toolsets and to ClangCL (spelled /clang:-f..., the form clang-cl passes on), and never to cl.exe (v14x),
/// which ignores them with warning D9002. The configurations are AutoPassBuildTypes, else the build types of the session.
/// </summary>
internal static class PinnedProps
{
    /// <summary>Visual Studio's toolsets that compile with gcc: its Linux workload (remote and WSL).</summary>
    private static readonly string[] GccToolsets = ["Remote_GCC_1_0", "WSL_1_0", "WSL2_1_0"];

    /// <summary>Visual Studio's toolsets that compile with clang's own command line: its Linux workload.</summary>
    private static readonly string[] ClangToolsets = ["Remote_Clang_1_0", "WSL_Clang_1_0", "WSL2_Clang_1_0"];

    /// <summary>The toolset of clang-cl, clang with cl.exe's command line.</summary>
    public const string ClangClToolset = "ClangCL";

    /// <param name="classes">For the top-level set of a folder pinned per machine class: the choice between the classes' sets.</param>
    public static string Render(IReadOnlyList<string> projectFlags, LockFile lockFile, string fromProps, TunedCompiler tunedFor, ClassDispatch? classes = null)
    {
        // Item definitions, items and targets are evaluated after every property, an imported class's included: this
        // set's apply only when it is the chosen one.
        string chosen = classes is null ? "" : classes.DefaultChosen + " and ";
        string flags = SecurityElement.Escape(string.Join(' ', projectFlags));
        string pinned = SecurityElement.Escape(string.Join(' ', lockFile.Flags));
        string tunedText = $"{tunedFor.Id} {tunedFor.Versions.ToNormalizedString()}";
        bool clang = tunedFor.Id == "clang";
        var text = new StringBuilder();
        text.AppendLine("<Project>");
        foreach (var line in HeaderComment(lockFile).Split('\n')) text.AppendLine($"  <!-- {XmlCommentText(line)} -->");
        text.AppendLine("  <!-- Import from Directory.Build.targets (after the project's own ItemDefinitionGroups). Set AutoPassEnabled=false to build without these flags. -->");
        if (classes is not null) text.Append(classes.PropsChoice());
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine($"    <AutoPassCFlags>{flags}</AutoPassCFlags>");
        text.AppendLine($"    <AutoPassCxxFlags>{flags}</AutoPassCxxFlags>");
        text.AppendLine($"    <AutoPassPinnedFlags>{pinned}</AutoPassPinnedFlags>");
        text.AppendLine($"    <AutoPassPinnedOutcome>{SecurityElement.Escape(lockFile.Outcome)}</AutoPassPinnedOutcome>");
        text.AppendLine($"    <{PinnedFiles.PinnedSetProperty}>{SecurityElement.Escape(lockFile.PinnedSet)}</{PinnedFiles.PinnedSetProperty}>");
        text.AppendLine($"    <AutoPassPinnedCompiler>{SecurityElement.Escape(tunedText)}</AutoPassPinnedCompiler>");
        text.AppendLine("  </PropertyGroup>");
        text.AppendLine("  <!-- The configurations that get the flags: AutoPassBuildTypes, else the build types the flags were tuned in. -->");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine("    <_AutoPassConfigurations>$(AutoPassBuildTypes)</_AutoPassConfigurations>");
        text.AppendLine($"    <_AutoPassConfigurations Condition=\"'$(_AutoPassConfigurations)' == ''\">{string.Join(';', lockFile.PinnedBuildTypes)}</_AutoPassConfigurations>");
        // Compared as ";A;B;" against ";C;", case aside, the way AutoPassBuildTypes may be written ("Release; Profile", "Release,Profile").
        text.AppendLine("    <_AutoPassConfigurationList>;$(_AutoPassConfigurations.Replace(' ', '').Replace(',', ';').ToUpperInvariant());</_AutoPassConfigurationList>");
        text.AppendLine("    <_AutoPassConfiguration>;$(Configuration.ToUpperInvariant());</_AutoPassConfiguration>");
        text.AppendLine("    <_AutoPassInConfiguration>false</_AutoPassInConfiguration>");
        text.AppendLine("    <_AutoPassInConfiguration Condition=\"$(_AutoPassConfigurationList.Contains('$(_AutoPassConfiguration)'))\">true</_AutoPassInConfiguration>");
        text.AppendLine($"    <!-- Tuned for {XmlCommentText(tunedText)}: the toolsets that compile with it, and the form they take the flags in (none: cl.exe and every other compiler get none). -->");
        text.AppendLine("    <_AutoPassFlagForm></_AutoPassFlagForm>");
        text.AppendLine($"    <_AutoPassFlagForm Condition=\"{ToolsetCondition(clang ? ClangToolsets : GccToolsets)}\">gcc</_AutoPassFlagForm>");
        if (clang) text.AppendLine($"    <_AutoPassFlagForm Condition=\"{ToolsetCondition([ClangClToolset])}\">clang-cl</_AutoPassFlagForm>");
        text.AppendLine("    <_AutoPassFlagsApply>false</_AutoPassFlagsApply>");
        text.AppendLine("    <_AutoPassFlagsApply Condition=\"'$(AutoPassEnabled)' != 'false' and '$(_AutoPassInConfiguration)' == 'true' and '$(_AutoPassFlagForm)' != ''\">true</_AutoPassFlagsApply>");
        text.AppendLine("  </PropertyGroup>");
        text.AppendLine($"  <ItemDefinitionGroup Condition=\"{chosen}'$(_AutoPassFlagsApply)' == 'true'\">");
        text.AppendLine("    <ClCompile>");
        AppendOptions(text, "      ", projectFlags, clang);
        text.AppendLine("    </ClCompile>");
        text.AppendLine("  </ItemDefinitionGroup>");
        if (lockFile.Files is { Count: > 0 } files)
        {
            // Hot-file tuning: these files get their flags after the project's (ClCompile items the project already has).
            text.AppendLine($"  <ItemGroup Condition=\"{chosen}'$(_AutoPassFlagsApply)' == 'true'\">");
            foreach (var file in files)
            {
                text.AppendLine($"    <ClCompile Update=\"{SecurityElement.Escape(PropsPath(fromProps, file.Path))}\">");
                AppendOptions(text, "      ", file.Flags, clang);
                // The lock file's name for it (verify compares the two).
                text.AppendLine($"      <AutoPassPinnedPath>{SecurityElement.Escape(file.Path)}</AutoPassPinnedPath>");
                text.AppendLine("    </ClCompile>");
            }
            text.AppendLine("  </ItemGroup>");
        }
        // Once a project, where it compiles: why a build in a pinned configuration has none of the flags.
        text.AppendLine($"  <Target Name=\"_AutoPassPinnedFlagsLeftOut\" BeforeTargets=\"ClCompile\" Condition=\"{chosen}'$(AutoPassEnabled)' != 'false' and '$(_AutoPassInConfiguration)' == 'true' and '$(_AutoPassFlagForm)' == ''\">");
        text.AppendLine($"    <Message Importance=\"high\" Text=\"AutoPass: the pinned flags are left out: they were tuned for {SecurityElement.Escape(tunedText)} and this project builds with the toolset '$(PlatformToolset)'.\" />");
        text.AppendLine("  </Target>");
        if (classes is not null) text.Append(classes.PropsImports());
        text.AppendLine("</Project>");
        return text.ToString();
    }

    /// <summary>The AdditionalOptions of one form each: the flags as they are, and for clang also as clang-cl takes them.</summary>
    private static void AppendOptions(StringBuilder text, string indent, IReadOnlyList<string> flags, bool clang)
    {
        // The flags as they are come first: verify reads them back from the first AdditionalOptions.
        text.AppendLine($"{indent}<AdditionalOptions Condition=\"'$(_AutoPassFlagForm)' == 'gcc'\">%(AdditionalOptions) {SecurityElement.Escape(string.Join(' ', flags))}</AdditionalOptions>");
        if (clang)
            text.AppendLine($"{indent}<AdditionalOptions Condition=\"'$(_AutoPassFlagForm)' == 'clang-cl'\">%(AdditionalOptions) {SecurityElement.Escape(ClangClForm(flags))}</AdditionalOptions>");
    }

    /// <summary>
    /// clang's options on clang-cl's command line: each behind /clang:, which clang-cl hands to clang as it is (an -mllvm
    /// pair as two). Given bare, clang-cl ignores -f options with "unknown argument ignored in clang-cl" and -O3 as unused.
    /// </summary>
    internal static string ClangClForm(IReadOnlyList<string> flags) => string.Join(' ', flags.Select(flag => "/clang:" + flag));

    private static string ToolsetCondition(IEnumerable<string> toolsets) =>
        string.Join(" or ", toolsets.Select(t => $"'$(PlatformToolset)' == '{t}'"));

    /// <summary>The Include of a pinned file's ClCompile item: from the props file's own directory, '\'-separated.</summary>
    internal static string PropsPath(string fromProps, string file) =>
        "$(MSBuildThisFileDirectory)" + Path.Combine(fromProps, file).Replace('/', '\\');

    /// <summary>
    /// The props file's comment: the lock's facts without flag text, because flags hold "--" (--param=...), which ends an
    /// XML comment early and makes the file unreadable to MSBuild (MSB4025). The flags are in the elements, escaped.
    /// </summary>
    private static string HeaderComment(LockFile lockFile) =>
        $"Generated by {lockFile.Tool.Name} {lockFile.Tool.Version} for {lockFile.Compiler.Id} {lockFile.Compiler.VersionRange}. Check it in; retune with -p:AutoPassTune=true.\n" +
        (lockFile.Outcome == "improved"
            ? string.Create(CultureInfo.InvariantCulture, $"Confirmed speedup over the baseline flags: {lockFile.Speedup!.Estimate:0.000}x ({lockFile.Speedup.Confidence * 100:0.##}% interval {lockFile.Speedup.Low:0.000}-{lockFile.Speedup.High:0.000}).")
            : "No flags beat the baseline flags with confidence; the baseline is pinned.");

    /// <summary>
    /// Text that cannot end or break an XML comment: no "--" and no trailing '-'. Entities are not decoded in
    /// comments, so nothing else needs escaping.
    /// </summary>
    internal static string XmlCommentText(string text)
    {
        while (text.Contains("--", StringComparison.Ordinal)) text = text.Replace("--", "- -", StringComparison.Ordinal);
        return text.EndsWith('-') ? text + " " : text;
    }
}
