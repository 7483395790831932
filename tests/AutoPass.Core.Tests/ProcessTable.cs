namespace AutoPass.Core.Tests;

/// <summary>
/// The live processes as /proc lists them, so a test can show that nothing it started was left running (and end
/// whatever was). A zombie counts as ended: it is dead, only not yet collected by its new parent.
/// </summary>
public static class ProcessTable
{
    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            char state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Live processes whose command line is exactly <paramref name="argv"/>.</summary>
    public static IReadOnlyList<int> WithCommandLine(params string[] argv)
    {
        string wanted = string.Join('\0', argv) + '\0';
        return Pids().Where(pid => Read($"/proc/{pid}/cmdline") == wanted && IsAlive(pid)).ToList();
    }

    /// <summary>Live processes running an executable under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<int> RunningFrom(string directory)
    {
        string prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        return Pids().Where(pid =>
        {
            try { return new FileInfo($"/proc/{pid}/exe").LinkTarget?.StartsWith(prefix, StringComparison.Ordinal) == true && IsAlive(pid); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }).ToList();
    }

    /// <summary>Whether the processes found end within <paramref name="limit"/> (a kill takes effect soon, not at once).</summary>
    public static async Task<bool> EndWithinAsync(Func<IReadOnlyList<int>> find, TimeSpan limit)
    {
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < limit; await Task.Delay(100))
            if (find().Count == 0) return true;
        return find().Count == 0;
    }

    /// <summary>Ends the given processes, if they still run: cleanup after a test that failed.</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (int pid in pids)
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }
    }

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
