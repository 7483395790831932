using System.Security;
using System.Text;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Pinning;

/// <summary>
/// The part of the top-level autopass.cmake and autopass.props that chooses a machine class's set: the default class's
/// flags are the file's own; another class's file in classes/&lt;name&gt;/ is loaded instead when the build names it; a
/// name with no set stops the build with AP5031 and the list of pinned classes.
/// </summary>
/// <param name="Default">The class of the top-level set: the first pinned, used when the build names none.</param>
/// <param name="Others">The other classes pinned, each in classes/&lt;name&gt;/.</param>
internal sealed record ClassDispatch(LockMachineClass Default, IReadOnlyList<string> Others)
{
    /// <summary>The MSBuild property autopass.props resolves the chosen class into (the default when unset).</summary>
    public const string ChosenProperty = "_AutoPassMachineClass";

    private IEnumerable<string> All => [Default.Name, .. Others];

    private string KnownText => string.Join(", ", All.Select((name, i) => i == 0 ? $"{name} (the default)" : name));

    /// <summary>The CMake lines, right after the header: another class's file included in this one's place.</summary>
    public string CMake()
    {
        string variable = PinnedMachineClasses.CMakeVariable;
        var text = new StringBuilder();
        text.AppendLine($"# Machine classes: this set is for {Default.Name} ({OneLine(Default.Description)}), the default; the other classes' sets are in");
        text.AppendLine($"# classes/<name>/. -D{variable}=<name> chooses one ({PinnedMachineClasses.MSBuildProperty} for MSBuild); unset, this set applies.");
        text.AppendLine($"if(DEFINED {variable} AND NOT {variable} STREQUAL \"\" AND NOT {variable} STREQUAL \"{Default.Name}\")");
        foreach (string other in Others)
        {
            text.AppendLine($"  if({variable} STREQUAL \"{other}\")");
            text.AppendLine($"    include(\"${{CMAKE_CURRENT_LIST_DIR}}/{PinnedMachineClasses.ClassesFolder}/{other}/{PinnedFiles.CMakeName}\")");
            text.AppendLine("    return()");
            text.AppendLine("  endif()");
        }
        text.AppendLine($"  message(FATAL_ERROR \"{DiagnosticCode.MachineClassUnknown}: {variable} is '${{{variable}}}', which has no pinned set here. The pinned classes: {KnownText}. Set {variable} to one of them, or leave it unset for {Default.Name}.\")");
        text.AppendLine("endif()");
        return text.ToString();
    }

    /// <summary>The MSBuild lines before the set's properties: the chosen class, the default when unset.</summary>
    public string PropsChoice()
    {
        string property = PinnedMachineClasses.MSBuildProperty;
        var text = new StringBuilder();
        text.AppendLine($"  <!-- Machine classes: this set is for {PinnedProps.XmlCommentText(Default.Name)} ({PinnedProps.XmlCommentText(OneLine(Default.Description))}), the default; the other classes' sets are in classes\\<name>\\. {property} chooses one; unset, this set applies. -->");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine($"    <{ChosenProperty}>$({property})</{ChosenProperty}>");
        text.AppendLine($"    <{ChosenProperty} Condition=\"'$({ChosenProperty})' == ''\">{Default.Name}</{ChosenProperty}>");
        text.AppendLine($"    <_AutoPassKnownMachineClass Condition=\"{string.Join(" or ", All.Select(IsChosen))}\">true</_AutoPassKnownMachineClass>");
        text.AppendLine("  </PropertyGroup>");
        return text.ToString();
    }

    /// <summary>The condition that the top-level set is the chosen one (its item definitions, items and targets carry it).</summary>
    public string DefaultChosen => IsChosen(Default.Name);

    /// <summary>
    /// The MSBuild lines at the end: another class's file imported when chosen (after this set's properties, so its own
    /// win), and the error for a class with no set.
    /// </summary>
    public string PropsImports()
    {
        string property = PinnedMachineClasses.MSBuildProperty;
        var text = new StringBuilder();
        foreach (string other in Others)
            text.AppendLine($"  <Import Project=\"$(MSBuildThisFileDirectory){PinnedMachineClasses.ClassesFolder}\\{other}\\{PinnedFiles.PropsName}\" Condition=\"{IsChosen(other)}\" />");
        text.AppendLine($"  <Target Name=\"_AutoPassUnknownMachineClass\" BeforeTargets=\"ClCompile\" Condition=\"'$(_AutoPassKnownMachineClass)' != 'true'\">");
        text.AppendLine($"    <Error Code=\"{DiagnosticCode.MachineClassUnknown}\" Text=\"{property} is '$({property})', which has no pinned set here. The pinned classes: {SecurityElement.Escape(KnownText)}. Set {property} to one of them, or leave it unset for {Default.Name}.\" />");
        text.AppendLine("  </Target>");
        return text.ToString();
    }

    private static string IsChosen(string name) => $"'$({ChosenProperty})' == '{name}'";

    /// <summary>A description as one line of a comment.</summary>
    private static string OneLine(string text) => new([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
}
