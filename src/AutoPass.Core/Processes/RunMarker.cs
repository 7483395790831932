using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AutoPass.Core.Processes;

/// <summary>
/// Marks one run's processes through their environment, so that a process that left the run's process group (a child
/// that called setsid(), a daemon's double fork) is still found and killed when the run ends, instead of keeping a
/// core busy for the rest of the session. Every descendant inherits the mark, whatever its group or parent; Linux
/// lists each process's initial environment in /proc/&lt;pid&gt;/environ. Elsewhere the mark is set and nothing is read.
/// </summary>
internal sealed class RunMarker
{
    public const string Variable = "AUTOPASS_RUN_ID";

    /// <summary>Passes over /proc at most: a process that keeps forking is outrun, not chased forever.</summary>
    private const int MaxPasses = 20;

    private readonly byte[] _entry;

    public RunMarker()
    {
        // Of one length for every run, so that it moves the benchmark's stack by the same bytes each time.
        Value = Guid.NewGuid().ToString("N");
        _entry = Encoding.ASCII.GetBytes($"{Variable}={Value}\0");
    }

    public string Value { get; }

    public void AddTo(ProcessStartInfo info) => info.Environment[Variable] = Value;

    /// <summary>Kills every live process carrying the mark, pass after pass until none is left; returns how many were killed.</summary>
    public int KillAll()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        int killed = 0;
        for (int pass = 0; pass < MaxPasses; pass++)
        {
            var marked = Marked();
            if (marked.Count == 0) break;
            foreach (int pid in marked)
                if (ProcessGroup.KillProcess(pid)) killed++;
            // A killed process's environ reads empty once it is a zombie: the next pass sees only what escaped this one.
        }
        return killed;
    }

    /// <summary>The processes whose initial environment holds this run's mark (never this engine itself).</summary>
    private List<int> Marked()
    {
        var found = new List<int>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId) continue;
            byte[] environment;
            try { environment = File.ReadAllBytes(Path.Combine(entry, "environ")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // gone, or another user's
            if (Contains(environment, _entry)) found.Add(pid);
        }
        return found;
    }

    /// <summary>Whether the NUL-separated environment holds <paramref name="entry"/> as a whole variable.</summary>
    private static bool Contains(ReadOnlySpan<byte> environment, ReadOnlySpan<byte> entry)
    {
        for (int at = environment.IndexOf(entry); at >= 0;)
        {
            if (at == 0 || environment[at - 1] == 0) return true;
            int next = environment[(at + 1)..].IndexOf(entry);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }
}
