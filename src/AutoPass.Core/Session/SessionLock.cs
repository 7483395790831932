using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Session;

/// <summary>
/// One tuning session per project at a time: exclusive locks on the intermediate directory (<c>session.lock</c> in it),
/// on the source directory and on the output directory, held until disposed. Two sessions would append to one ledger,
/// resume each other and share build trees; two with different intermediate directories on the same sources would
/// still time at once, delete each other's output files and interleave their pinned renames.
/// </summary>
/// <remarks>
/// The lock is the OS's, not the file's existence: .NET opens a <see cref="FileShare.None"/> file with an advisory
/// <c>flock</c> on Unix (a share lock on Windows), and the OS drops it when the process dies, however it dies, so a
/// killed session never leaves a stale lock. The file is not deleted on release: deleting a lock file lets a waiting
/// opener lock an inode nobody else sees. The holder's pid and start time go to an owner file beside it,
/// because a file locked exclusively cannot be read by another .NET process. The source and output directories'
/// locks live in the user's temporary directory, named by a hash of the directory's canonical path, so nothing is
/// added to the checked-in folders and every spelling of a path (a symbolic link, a trailing slash) meets one lock.
/// </remarks>
internal sealed class SessionLock : IDisposable
{
    public const string LockFileName = "session.lock";
    public const string OwnerFileName = "session.owner";

    private readonly List<FileStream> _held;

    private SessionLock(List<FileStream> held) => _held = held;

    /// <summary>Takes the project's session locks, or throws AP1030 naming the session that holds one.</summary>
    public static SessionLock Acquire(string intermediateDir, string? sourceDir = null, string? outputDir = null)
    {
        var held = new List<FileStream>();
        try
        {
            Directory.CreateDirectory(intermediateDir);
            held.Add(Take(Path.Combine(intermediateDir, LockFileName), Path.Combine(intermediateDir, OwnerFileName), "this project"));
            if (sourceDir is not null) held.Add(TakeDirectoryLock("source", sourceDir));
            if (outputDir is not null) held.Add(TakeDirectoryLock("output", outputDir));
            return new SessionLock(held);
        }
        catch
        {
            foreach (var stream in held) stream.Dispose();
            throw;
        }
    }

    /// <summary>Where the lock of a source or output directory is: the same file for every session of this user.</summary>
    public static string DirectoryLockPath(string kind, string directory)
    {
        string canonical = CanonicalPath(directory);
        string key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + canonical)))[..24];
        return Path.Combine(LockDirectory(), $"{kind}-{key}.lock");
    }

    private static FileStream TakeDirectoryLock(string kind, string directory)
    {
        string lockPath = DirectoryLockPath(kind, directory);
        return Take(lockPath, Path.ChangeExtension(lockPath, ".owner"), $"this project (the same {kind} directory, {CanonicalPath(directory)})");
    }

    private static FileStream Take(string lockPath, string ownerPath, string what)
    {
        FileStream held;
        try
        {
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new AutoPassException(DiagnosticCode.SessionInProgress,
                $"Another AutoPass session is tuning {what} ({DescribeOwner(ownerPath)}; lock: {lockPath}).",
                "Wait for it to finish, or stop it (Ctrl+C in its terminal, or kill its pid); a session that was stopped or killed releases the lock by itself.");
        }
        try
        {
            using var self = Process.GetCurrentProcess();
            var owner = new Owner(Environment.ProcessId, self.StartTime.ToUniversalTime(), Environment.MachineName);
            File.WriteAllText(ownerPath, JsonSerializer.Serialize(owner));
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>A directory of this user's own in the temporary directory (another user's lock files would not open for writing).</summary>
    private static string LockDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"autopass-locks-{Environment.UserName}");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    /// <summary>The full path with every symbolic link along it resolved, as far as the directories exist.</summary>
    internal static string CanonicalPath(string directory)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        string current = Path.GetPathRoot(full) ?? "";
        foreach (string part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                if (new DirectoryInfo(current).ResolveLinkTarget(returnFinalTarget: true) is { } target)
                    current = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
            }
            catch (IOException)
            {
                // A link that cannot be followed: its spelling stands.
            }
        }
        return OperatingSystem.IsWindows() ? current.ToUpperInvariant() : current;
    }

    private static string DescribeOwner(string ownerPath)
    {
        try
        {
            var owner = JsonSerializer.Deserialize<Owner>(File.ReadAllText(ownerPath));
            if (owner is not null)
                return string.Create(CultureInfo.InvariantCulture, $"pid {owner.Pid} on {owner.Host}, started {owner.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // It has not written its name yet, or wrote it elsewhere: the lock still decides.
        }
        return "its pid and start time are not known yet";
    }

    public void Dispose()
    {
        foreach (var stream in _held) stream.Dispose();
    }

    private sealed record Owner(int Pid, DateTime StartedUtc, string Host);
}
