using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Pinning;

/// <summary>One pinned set of an output folder: where its three files are, its lock file, and whether it is the top-level set.</summary>
/// <param name="TopLevel">The set in the output folder itself (the default class's, or the only one); else a class's in classes/&lt;name&gt;/.</param>
internal sealed record PinnedSet(string Dir, LockFile Lock, bool TopLevel)
{
    /// <summary>The class this set is for; null for a set pinned without a class.</summary>
    public string? ClassName => Lock.MachineClass?.Name;

    /// <summary>How a message names the set: nothing for the top-level set, else its class and folder.</summary>
    public string Label => TopLevel ? "" : $"Machine class '{ClassName}' ({Dir}): ";
}

/// <summary>
/// One pinned set per machine class. The first class pinned in a folder keeps the top-level files (autopass.props,
/// autopass.cmake, autopass.lock.json) and is the default; each other class gets the same three files in
/// classes/&lt;name&gt;/, and the top-level files dispatch to them: autopass.cmake by AUTOPASS_MACHINE_CLASS, autopass.props
/// by AutoPassMachineClass. A folder pinned without a class has no dispatch at all.
/// </summary>
internal static class PinnedMachineClasses
{
    public const string ClassesFolder = "classes";

    /// <summary>The CMake variable that chooses a class's set.</summary>
    public const string CMakeVariable = "AUTOPASS_MACHINE_CLASS";

    /// <summary>The MSBuild property that chooses a class's set (autopass.props, and autopass build/verify/recheck).</summary>
    public const string MSBuildProperty = "AutoPassMachineClass";

    public const int MaxNameLength = 64;

    public const string NameRule = "lower-case letters, digits, '.', '_' and '-' (starting with a letter or digit, at most 64)";

    /// <summary>
    /// A name that can be a folder on every file system, a CMake string and an MSBuild condition's text as it is, and
    /// that CMake's and MSBuild's comparisons (case-sensitive and not) agree on.
    /// </summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    /// <summary>A valid class name made from any text (a CPU model, a key): lower case, other characters as '-', runs of them as one.</summary>
    public static string NameFrom(string text)
    {
        var name = new System.Text.StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            bool kept = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || (c is '.' or '_' && name.Length > 0);
            if (kept) name.Append(c);
            else if (name.Length > 0 && name[^1] != '-') name.Append('-');
        }
        string result = name.ToString().Trim('-', '.', '_');
        if (result.Length > MaxNameLength) result = result[..MaxNameLength].TrimEnd('-', '.', '_');
        return result.Length == 0 ? "machine" : result;
    }

    /// <summary>The folder of a class's set (not the default class's, which is the output folder itself).</summary>
    public static string SetDir(string outputDir, string className) => Path.Combine(outputDir, ClassesFolder, className);

    /// <summary>
    /// The folder of the set <paramref name="machineClass"/> names, for what reads one set's files (the report, --json):
    /// its classes/&lt;name&gt;/ when one is pinned there, else the output folder (the default class's set, or the only one).
    /// </summary>
    public static string SetDirOf(string outputDir, string? machineClass) =>
        !string.IsNullOrEmpty(machineClass) && IsValidName(machineClass) && ReadLock(outputDir)?.MachineClass?.Name != machineClass
        && File.Exists(Path.Combine(SetDir(outputDir, machineClass), PinnedFiles.LockName))
            ? SetDir(outputDir, machineClass) : outputDir;

    /// <summary>A machine class for this machine and a compiler, described in a line, for a session that pins for a named class.</summary>
    public static LockMachineClass Describe(string name, LockMachine machine, LockCompiler compiler) =>
        new(name, $"{machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Architecture}, {compiler.Id} {compiler.Version}");

    /// <summary>AP5030 when <paramref name="name"/> cannot be a class name.</summary>
    public static void CheckName(string name, string what)
    {
        if (!IsValidName(name))
            throw new AutoPassException(DiagnosticCode.MachineClassInvalid,
                $"{what} '{name}' is no machine class name: a class name is {NameRule}, because it names a folder and goes into autopass.cmake and autopass.props.",
                $"Use a name such as '{NameFrom(name)}'.");
    }

    /// <summary>
    /// Before a session that pins: the class it pins for is a valid name (AP5030), and a session without a class does not
    /// pin into a folder that holds sets per class (AP5033), where it would leave the classes without a default.
    /// </summary>
    public static void CheckCanPin(string outputDir, string? machineClass)
    {
        if (machineClass is not null) { CheckName(machineClass, MSBuildProperty); return; }
        if (ReadLock(outputDir) is { MachineClass: { } pinned } top) throw Unclassed(outputDir, top, pinned);
    }

    /// <summary>The lock file of a folder, or null when it is missing or cannot be read.</summary>
    internal static LockFile? ReadLock(string dir)
    {
        string path = Path.Combine(dir, PinnedFiles.LockName);
        try { return File.Exists(path) ? LockFile.Parse(File.ReadAllText(path)) : null; }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException) { return null; }
    }

    private static AutoPassException Unclassed(string outputDir, LockFile top, LockMachineClass pinned) =>
        new(DiagnosticCode.MachineClassRequired,
            $"'{outputDir}' holds pinned sets per machine class ({string.Join(", ", Names(top))}; '{pinned.Name}' is the default), and a set without a class would replace the default class's and leave the others without one.",
            $"Pin for a class: set {MSBuildProperty}=<name> (-p:{MSBuildProperty}=<name>, or --machine-class) to one of them, or a new name; or pin into an empty folder (AutoPassOutputDir).");

    /// <summary>Every class of a folder whose top-level lock is <paramref name="top"/>: the default first.</summary>
    public static IReadOnlyList<string> Names(LockFile top) =>
        top.MachineClass is null ? [] : [top.MachineClass.Name, .. top.OtherMachineClasses ?? []];

    /// <summary>
    /// Writes the set of <paramref name="lockFile"/> (its <see cref="LockFile.MachineClass"/>) without losing another
    /// class's: the first class pinned in the folder, or the default class again, writes the top-level set (keeping the
    /// list of the others); another class writes classes/&lt;name&gt;/, then the top-level set with it in the dispatch.
    /// </summary>
    internal static void Write(string outputDir, LockFile lockFile, PinnedFiles.SwapStep swap, string? sourceDir)
    {
        var top = ReadLock(outputDir);
        if (lockFile.MachineClass is not { } machineClass)
        {
            if (top?.MachineClass is { } pinned) throw Unclassed(outputDir, top, pinned);
            PinnedFiles.WriteSet(outputDir, lockFile with { OtherMachineClasses = null }, swap, sourceDir, topLevel: true);
            return;
        }
        CheckName(machineClass.Name, "The machine class");
        if (top?.MachineClass is null || top.MachineClass.Name == machineClass.Name)
        {
            // A set pinned without a class is replaced, as a retune replaces it.
            PinnedFiles.WriteSet(outputDir, lockFile with { OtherMachineClasses = top?.MachineClass is null ? null : top.OtherMachineClasses }, swap, sourceDir, topLevel: true);
            return;
        }
        // The class's own set first: the dispatch never names a folder that is not there yet.
        PinnedFiles.WriteSet(SetDir(outputDir, machineClass.Name), lockFile with { OtherMachineClasses = null }, swap,
            sourceDir ?? Path.Combine(outputDir, ".."), topLevel: false);
        if (!(top.OtherMachineClasses ?? []).Contains(machineClass.Name))
            PinnedFiles.WriteSet(outputDir, top with { OtherMachineClasses = [.. top.OtherMachineClasses ?? [], machineClass.Name] }, swap, sourceDir, topLevel: true);
    }

    /// <summary>
    /// Every pinned set of a folder whose top-level lock is <paramref name="top"/>: the top-level set, then each other
    /// class's from classes/&lt;name&gt;/. AP5004 when one is missing or unreadable, AP5032 when one is not the class it is listed as.
    /// </summary>
    public static IReadOnlyList<PinnedSet> Sets(string outputDir, LockFile top, string fix)
    {
        var sets = new List<PinnedSet> { new(outputDir, top, TopLevel: true) };
        foreach (string name in top.OtherMachineClasses ?? [])
        {
            string dir = SetDir(outputDir, name), path = Path.Combine(dir, PinnedFiles.LockName);
            if (!File.Exists(path))
                throw new AutoPassException(DiagnosticCode.LockFileInvalid,
                    $"{Path.Combine(outputDir, PinnedFiles.LockName)} lists the machine class '{name}', but there is no lock file at {path}.", fix);
            LockFile lockFile;
            try { lockFile = LockFile.Parse(File.ReadAllText(path)); }
            catch (System.Text.Json.JsonException e)
            {
                throw new AutoPassException(DiagnosticCode.LockFileInvalid, $"The lock file {path} (machine class '{name}') is not valid: {e.Message}", fix);
            }
            if (lockFile.MachineClass?.Name != name || lockFile.OtherMachineClasses is not null)
                throw new AutoPassException(DiagnosticCode.MachineClassMismatch,
                    $"{path} is listed as the set of machine class '{name}' but is "
                    + (lockFile.MachineClass is null ? "pinned without a class" : $"the set of '{lockFile.MachineClass.Name}'")
                    + (lockFile.OtherMachineClasses is not null ? ", and lists classes of its own (only the top-level lock does)" : "") + ".", fix);
            sets.Add(new PinnedSet(dir, lockFile, TopLevel: false));
        }
        return sets;
    }

    /// <summary>Folders under classes/ that the top-level lock does not list: a pin that stopped before the dispatch was written, or a leftover.</summary>
    public static IReadOnlyList<string> Unlisted(string outputDir, LockFile top)
    {
        string classes = Path.Combine(outputDir, ClassesFolder);
        if (!Directory.Exists(classes)) return [];
        var listed = (top.OtherMachineClasses ?? []).ToHashSet(StringComparer.Ordinal);
        return [.. Directory.EnumerateDirectories(classes).Where(d => !listed.Contains(Path.GetFileName(d))).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The set a build of <paramref name="machineClass"/> uses: the top-level set when unset (the default class, or the
    /// only set); AP5031 naming the pinned classes when no set is for it.
    /// </summary>
    public static PinnedSet Choose(IReadOnlyList<PinnedSet> sets, string? machineClass)
    {
        if (string.IsNullOrEmpty(machineClass)) return sets[0];
        if (sets.FirstOrDefault(s => s.ClassName == machineClass) is { } chosen) return chosen;
        string known = sets[0].ClassName is null
            ? "the pinned set here has no machine class (it was pinned by a single-machine session)"
            : $"the pinned classes are {string.Join(", ", sets.Select((s, i) => i == 0 ? $"{s.ClassName} (the default)" : s.ClassName))}";
        throw new AutoPassException(DiagnosticCode.MachineClassUnknown,
            $"{MSBuildProperty} is '{machineClass}', which has no pinned set in '{sets[0].Dir}': {known}.",
            sets[0].ClassName is null
                ? $"Leave {MSBuildProperty} (AUTOPASS_MACHINE_CLASS) unset, or pin a set for '{machineClass}' (a campaign of workers of that class, or a session with -p:{MSBuildProperty}={machineClass})."
                : $"Set {MSBuildProperty} (AUTOPASS_MACHINE_CLASS for CMake) to one of them, leave it unset for {sets[0].ClassName}, or pin a set for '{machineClass}' on machines of that class.");
    }
}
