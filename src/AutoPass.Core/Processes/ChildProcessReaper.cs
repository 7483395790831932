using System.Diagnostics;

namespace AutoPass.Core.Processes;

/// <summary>
/// Makes every process this one starts, and everything those start (cmake, make, the compilers, benchmarks, valgrind),
/// die with it on Linux, however it dies: a <c>kill -9</c> of the engine must not leave a compile or a benchmark running.
/// </summary>
/// <remarks>
/// Why not PR_SET_PDEATHSIG (or <c>setpriv --pdeathsig</c>): it fires when the <em>thread</em> that forked the child
/// exits, and .NET starts processes from thread-pool threads that come and go, so children would die at random; and it
/// covers only the direct child, not the compiler that make starts. Instead, a marker in this process's environment is
/// inherited by every descendant (none of these tools clears its environment), and a small watchdog started here blocks
/// reading a pipe whose other end only this process holds (.NET opens it close-on-exec, so no other child inherits it).
/// The kernel closes that pipe whenever this process ends, kill -9 included; the watchdog then kills every process
/// whose environment carries the marker, pass after pass until none is left, and exits. On a normal exit that finds
/// nothing. Processes started before <see cref="Start"/> are not covered.
/// </remarks>
internal static class ChildProcessReaper
{
    /// <summary>The environment variable whose value marks this engine's descendants.</summary>
    public const string MarkerVariable = "AUTOPASS_ENGINE_ID";

    private static readonly Lock Gate = new();
    private static Process? _watchdog;

    // $1 is the marker line. Ctrl+C, SIGTERM and a closed terminal reach the whole process group: the watchdog ignores
    // them and outlives the engine. grep reads every process's initial environment (NUL-separated) in one pass.
    private const string WatchdogScript = """
        exec >/dev/null 2>&1
        trap '' INT TERM HUP
        cat
        passes=0
        while [ $passes -lt 100 ]; do
          pids=$(grep -lszxF -- "$1" /proc/[0-9]*/environ | sed -n 's,^/proc/\([0-9]*\)/environ$,\1,p')
          [ -z "$pids" ] && exit 0
          kill -KILL $pids
          passes=$((passes + 1))
          sleep 0.1
        done
        """;

    /// <summary>Starts the watchdog once per process (Linux only; elsewhere it does nothing). Returns whether it runs.</summary>
    public static bool Start()
    {
        if (!OperatingSystem.IsLinux()) return false;
        lock (Gate)
        {
            if (_watchdog is not null) return true;
            string marker = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
            var info = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                // Its own pipes, never read: it must not hold this process's stdout open for whoever waits on it.
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-c", WatchdogScript, "autopass-reaper", $"{MarkerVariable}={marker}" }) info.ArgumentList.Add(a);
            info.Environment.Remove(MarkerVariable);
            try
            {
                _watchdog = Process.Start(info);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false; // no /bin/sh: children are not guarded, nothing else changes
            }
            if (_watchdog is null) return false;
            // Set only once the watchdog runs, so that it does not carry the marker itself.
            Environment.SetEnvironmentVariable(MarkerVariable, marker);
            return true;
        }
    }
}
