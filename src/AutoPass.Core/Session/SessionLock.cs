using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Session;

/// <summary>
/// One tuning session per project at a time: an exclusive lock on <c>session.lock</c> in the intermediate directory,
/// held until disposed. Two sessions would append to one ledger, resume each other and share build trees.
/// </summary>
/// <remarks>
/// The lock is the OS's, not the file's existence: .NET opens a <see cref="FileShare.None"/> file with an advisory
/// <c>flock</c> on Unix (a share lock on Windows), and the OS drops it when the process dies, however it dies, so a
/// killed session never leaves a stale lock. The file is not deleted on release: deleting a lock file lets a waiting
/// opener lock an inode nobody else sees. The holder's pid and start time go to <c>session.owner</c> beside it,
/// because a file locked exclusively cannot be read by another .NET process.
/// </remarks>
internal sealed class SessionLock : IDisposable
{
    public const string LockFileName = "session.lock";
    public const string OwnerFileName = "session.owner";

    private readonly FileStream _lock;

    private SessionLock(FileStream held) => _lock = held;

    /// <summary>Takes the project's session lock, or throws AP1030 naming the session that holds it.</summary>
    public static SessionLock Acquire(string intermediateDir)
    {
        Directory.CreateDirectory(intermediateDir);
        string lockPath = Path.Combine(intermediateDir, LockFileName);
        string ownerPath = Path.Combine(intermediateDir, OwnerFileName);
        FileStream held;
        try
        {
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new AutoPassException(DiagnosticCode.SessionInProgress,
                $"Another AutoPass session is tuning this project ({DescribeOwner(ownerPath)}; lock: {lockPath}).",
                "Wait for it to finish, or stop it (Ctrl+C in its terminal, or kill its pid); a session that was stopped or killed releases the lock by itself.");
        }
        try
        {
            using var self = Process.GetCurrentProcess();
            var owner = new Owner(Environment.ProcessId, self.StartTime.ToUniversalTime(), Environment.MachineName);
            File.WriteAllText(ownerPath, JsonSerializer.Serialize(owner));
            return new SessionLock(held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
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

    public void Dispose() => _lock.Dispose();

    private sealed record Owner(int Pid, DateTime StartedUtc, string Host);
}
