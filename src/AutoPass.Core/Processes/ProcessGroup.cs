using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AutoPass.Core.Processes;

/// <summary>
/// Ends a program together with everything it started. On Linux a program started through setsid(1) (which execs
/// in place: same pid) leads its own process group, so one signal reaches every process it started, even children
/// it orphaned by exiting; elsewhere the live process tree is killed.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;
    private const int SigInt = 2;

    /// <summary>setsid(1), when the system has it; null elsewhere.</summary>
    public static string? Launcher { get; } = OperatingSystem.IsLinux() ? ExternalTool.FindOnPath("setsid") : null;

    /// <summary>
    /// How long output pipes may stay open once the program and its group are gone. Only a process that left the
    /// group (a daemon) can still hold them then; it does not get to hold up the session.
    /// </summary>
    public static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>
    /// Kills the program's group (when it leads one), while it runs its process tree, and with a
    /// <paramref name="marker"/> every process that carries it: those that left the group too.
    /// </summary>
    public static void Kill(Process process, bool leadsGroup, RunMarker? marker = null)
    {
        // A negative pid signals the whole group; it fails harmlessly (ESRCH) when the group is already empty.
        if (leadsGroup) SendSignal(-process.Id, SigKill);
        try { process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { } // already gone
        marker?.KillAll();
    }

    /// <summary>SIGINT to one process, as Ctrl+C would send it; false when it was already gone (or not ours), or on Windows.</summary>
    public static bool Interrupt(int pid) => !OperatingSystem.IsWindows() && SendSignal(pid, SigInt) == 0;

    /// <summary>SIGKILL to one process; false when it was already gone (or not ours).</summary>
    public static bool KillProcess(int pid) => SendSignal(pid, SigKill) == 0;

    /// <summary>Waits for the readers of a finished program's pipes, at most <see cref="OutputGrace"/>; false when they are still open.</summary>
    public static async Task<bool> DrainAsync(params Task[] readers)
    {
        var all = Task.WhenAll(readers);
        if (await Task.WhenAny(all, Task.Delay(OutputGrace)).ConfigureAwait(false) != all) return false;
        await all.ConfigureAwait(false); // a reader's own failure (say, a full disk under its copy) is an error
        return true;
    }
}
