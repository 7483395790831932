using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AutoPass.Core.Build;
using AutoPass.Core.Diagnostics;
using NuGet.Versioning;

namespace AutoPass.Core.Pinning;

/// <summary>
/// Writes autopass.props, autopass.cmake and autopass.lock.json as one set. All three are rendered and written to
/// temporary files in the same directory first (a full disk fails there, before any pinned file changes); then each
/// is renamed over the old one, the lock file last, and a failure between renames puts the earlier files back. All
/// three carry the same set id (<see cref="LockFile.PinnedSet"/>), so a set mixed by a crash between renames is
/// something verify can see.
/// </summary>
internal static class PinnedFiles
{
    public const string PropsName = "autopass.props";
    public const string CMakeName = "autopass.cmake";
    public const string LockName = "autopass.lock.json";

    /// <summary>The MSBuild property of autopass.props that holds the set id.</summary>
    public const string PinnedSetProperty = "AutoPassPinnedSet";

    /// <summary>How autopass.cmake names the set id, in a comment line ("# Pinned set: &lt;id&gt;").</summary>
    public const string CMakePinnedSetLabel = "Pinned set: ";

    /// <summary>Puts a staged file in place of <paramref name="final"/>, keeping the replaced file as <paramref name="backup"/> when there is one.</summary>
    internal delegate void SwapStep(string staged, string final, string? backup);

    /// <summary>
    /// Pins <paramref name="lockFile"/> in <paramref name="outputDir"/>. With a machine class (<paramref name="machineClass"/>,
    /// else the lock's own), the set is that class's, and the sets of other classes in the folder are kept
    /// (<see cref="PinnedMachineClasses.Write"/>); without one, the folder's only set, as a single-machine session pins it.
    /// </summary>
    /// <param name="sourceDir">The CMake source directory the lock's file paths are relative to (null: the output directory's parent).</param>
    /// <param name="machineClass">The class the set is for: e.g. new LockMachineClass("x86_64-epyc-7763-gcc14", "AMD EPYC 7763, 64 cores, gcc 14.2").</param>
    public static void Write(string outputDir, LockFile lockFile, string? sourceDir = null, LockMachineClass? machineClass = null) =>
        Write(outputDir, lockFile, Swap, sourceDir, machineClass);

    /// <summary>Writes the set through <paramref name="swap"/>: a test passes one that fails part way.</summary>
    internal static void Write(string outputDir, LockFile lockFile, SwapStep swap, string? sourceDir = null, LockMachineClass? machineClass = null) =>
        PinnedMachineClasses.Write(outputDir, machineClass is null ? lockFile : lockFile with { MachineClass = machineClass }, swap, sourceDir);

    /// <summary>Writes one set's three files in <paramref name="outputDir"/> as they stand in <paramref name="lockFile"/> (autopass render).</summary>
    internal static void WriteSet(string outputDir, LockFile lockFile, string? sourceDir, bool topLevel) => WriteSet(outputDir, lockFile, Swap, sourceDir, topLevel);

    /// <summary>Writes one set's three files in <paramref name="outputDir"/> as they stand in <paramref name="lockFile"/>.</summary>
    /// <param name="topLevel">The output folder's own set, which dispatches to the other classes' when it has a class.</param>
    internal static void WriteSet(string outputDir, LockFile lockFile, SwapStep swap, string? sourceDir, bool topLevel)
    {
        lockFile = lockFile with { PinnedSet = SetId(lockFile) };
        var rendered = Render(outputDir, lockFile, sourceDir, topLevel);
        // The lock file goes last: verify trusts it, so it changes only after the files that build have.
        var files = new (string Name, string Content)[]
        {
            (PropsName, rendered.Props),
            (CMakeName, rendered.CMake),
            (LockName, lockFile.ToJson()),
        };

        EnsureWritable(outputDir);
        var staged = new List<(string Temp, string Final, string Backup)>();
        var swapped = new List<(string Final, string? Backup)>();
        try
        {
            foreach (var (name, content) in files)
            {
                string temp = Path.Combine(outputDir, $".{name}.{Environment.ProcessId}.tmp");
                staged.Add((temp, Path.Combine(outputDir, name), Path.Combine(outputDir, $".{name}.{Environment.ProcessId}.bak")));
                WriteDurably(temp, content);
            }
            foreach (var (temp, final, backup) in staged)
            {
                string? kept = File.Exists(final) ? backup : null;
                swap(temp, final, kept);
                swapped.Add((final, kept));
            }
        }
        catch (Exception e)
        {
            // Whatever stopped the swap, the folder goes back to the earlier set.
            bool restored = RestoreEarlierFiles(swapped);
            if (e is not (IOException or UnauthorizedAccessException)) throw;
            string outcome = restored
                ? "The files pinned before are unchanged."
                : $"The earlier files could not all be restored, so the set in '{outputDir}' may be mixed; verify reports it ({DiagnosticCode.PinnedSetMixed}).";
            throw new AutoPassException(DiagnosticCode.PinnedFilesUnwritten,
                $"The pinned files could not be written to '{outputDir}': {e.Message} {outcome}",
                "Free disk space or fix the directory's permissions, then run the same command again: the session resumes from its ledger.");
        }
        finally
        {
            foreach (var (temp, _, backup) in staged)
            {
                DeleteIfPresent(temp);
                DeleteIfPresent(backup);
            }
        }
    }

    /// <summary>
    /// autopass.props and autopass.cmake as they follow from <paramref name="lockFile"/> (its set id as it stands), the
    /// folders they sit in, and nothing else: so verify can render them again and compare them with what is checked in.
    /// </summary>
    /// <param name="sourceDir">The CMake source directory the lock's file paths are relative to (null: the output directory's parent).</param>
    /// <param name="topLevel">The output folder's own set: with a machine class, it chooses between the classes' sets.</param>
    public static (string Props, string CMake) Render(string outputDir, LockFile lockFile, string? sourceDir = null, bool topLevel = true)
    {
        var projectFlags = lockFile.ProjectFlags;
        var fileFlags = (lockFile.Files ?? []).Select(f => new FileFlags(f.Path, f.Flags)).ToList();
        // autopass.props names the files from where it is (MSBuildThisFileDirectory), so the folder can move with the project.
        string fromProps = Path.GetRelativePath(Path.GetFullPath(outputDir), Path.GetFullPath(sourceDir ?? Path.Combine(outputDir, ".."))).Replace('\\', '/');
        string cmakeHeader = HeaderComment(lockFile) + $"\n{CMakePinnedSetLabel}{lockFile.PinnedSet} (the same in {PropsName} and {LockName}; verify checks that they agree).";
        var tunedFor = new TunedCompiler(lockFile.Compiler.Id, VersionRange.Parse(lockFile.Compiler.VersionRange));
        var classes = topLevel && lockFile.MachineClass is { } machineClass ? new ClassDispatch(machineClass, lockFile.OtherMachineClasses ?? []) : null;
        return (PinnedProps.Render(projectFlags, lockFile, fromProps, tunedFor, classes),
            CMakeFlagsScript.Render(projectFlags, cmakeHeader, lockFile.PinnedBuildTypes, fileFlags, tunedFor, classes?.CMake()));
    }

    /// <summary>The set id of a lock file: a hash of its content without the id, so the same result gets the same id.</summary>
    public static string SetId(LockFile lockFile) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((lockFile with { PinnedSet = null }).ToJson())))[..16];

    private static void Swap(string staged, string final, string? backup)
    {
        // File.Replace keeps the old file as a hard link (no copy, no space needed) and renames over it atomically.
        if (backup is null) File.Move(staged, final, overwrite: true);
        else File.Replace(staged, final, backup);
    }

    /// <summary>Puts back what the swaps replaced (renames only, so it works on a full disk); false when one failed.</summary>
    private static bool RestoreEarlierFiles(List<(string Final, string? Backup)> swapped)
    {
        bool all = true;
        foreach (var (final, backup) in Enumerable.Reverse(swapped))
        {
            try
            {
                if (backup is not null) File.Move(backup, final, overwrite: true);
                else File.Delete(final); // there was no earlier file
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                all = false;
            }
        }
        return all;
    }

    private static void WriteDurably(string path, string content)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(new UTF8Encoding(false).GetBytes(content));
        // On disk before the rename: a power cut after it must not leave an empty pinned file.
        stream.Flush(flushToDisk: true);
    }

    private static void DeleteIfPresent(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // best effort; the real error is already on its way
    }

    /// <summary>Fails early, before a long session, when the output directory cannot be written.</summary>
    public static void EnsureWritable(string outputDir)
    {
        try
        {
            Directory.CreateDirectory(outputDir);
            string probe = Path.Combine(outputDir, $".autopass-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AutoPassException(DiagnosticCode.OutputDirUnwritable,
                $"The output directory '{outputDir}' cannot be written: {e.Message}",
                "Make it writable, or choose another with AutoPassOutputDir.");
        }
    }

    private static string HeaderComment(LockFile lockFile) =>
        $"Generated by {lockFile.Tool.Name} {lockFile.Tool.Version} for {lockFile.Compiler.Id} {lockFile.Compiler.VersionRange}. Check it in; retune with -p:AutoPassTune=true.\n" +
        (lockFile.Outcome == "improved"
            ? string.Create(CultureInfo.InvariantCulture, $"Confirmed speedup over {string.Join(' ', lockFile.Baseline.Flags)}: {lockFile.Speedup!.Estimate:0.000}x ({lockFile.Speedup.Confidence * 100:0.##}% interval {lockFile.Speedup.Low:0.000}-{lockFile.Speedup.High:0.000}).")
            : $"No flags beat {string.Join(' ', lockFile.Baseline.Flags)} with confidence; the baseline is pinned.");
}
