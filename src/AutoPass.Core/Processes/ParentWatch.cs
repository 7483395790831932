using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AutoPass.Core.Processes;

/// <summary>
/// Stops the engine when the process that started it ends (--parent-pid: the MSBuild node the task runs in). A node
/// killed outright takes no child with it, and an engine left running would hold the session lock (AP1030 for the
/// next build) and pin files minutes later, after nobody is waiting for it. It stops as on Ctrl+C: nothing pinned,
/// the ledger kept.
/// </summary>
internal static partial class ParentWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();

    /// <summary>Calls <paramref name="onGone"/> once, on a background task, when the process <paramref name="parentPid"/> has ended.</summary>
    public static void Start(int parentPid, Action onGone)
    {
        var alive = Probe(parentPid);
        _ = Task.Run(async () =>
        {
            while (alive()) await Task.Delay(Interval).ConfigureAwait(false);
            onGone();
        });
    }

    /// <summary>Whether the parent still runs, judged in the way that cannot be fooled by pid reuse or a zombie.</summary>
    private static Func<bool> Probe(int parentPid)
    {
        // The direct parent on Unix: the kernel gives its children to another process the moment it exits, before
        // anyone reaps it, so a changed getppid() is its death.
        if (!OperatingSystem.IsWindows() && GetParentPid() == parentPid) return () => GetParentPid() == parentPid;
        DateTime? started = StartTime(parentPid);
        return () => started is not null && StartTime(parentPid) == started && !IsZombie(parentPid);
    }

    private static DateTime? StartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Linux: a process that exited and was not yet reaped still has its /proc entry; its state is Z.</summary>
    private static bool IsZombie(int pid)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // "pid (comm) S ...": the state follows the last ')', as comm may hold spaces and parentheses.
            int close = stat.LastIndexOf(')');
            return close >= 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // gone between the checks
        }
    }
}
