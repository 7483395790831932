using System.Globalization;

namespace AutoPass.Core.Build;

/// <summary>
/// How long Ninja took to make each output of a build tree, from its <c>.ninja_log</c> (one tab-separated line an
/// output: start ms, end ms, mtime, path relative to the tree, command hash; a later line for a path supersedes an
/// earlier one). Empty when the tree was not built by Ninja.
/// </summary>
internal static class NinjaLog
{
    /// <summary>Seconds each output took the last time it was made, by absolute path.</summary>
    public static IReadOnlyDictionary<string, double> Durations(string buildDirectory)
    {
        var durations = new Dictionary<string, double>(StringComparer.Ordinal);
        string path = Path.Combine(buildDirectory, ".ninja_log");
        if (!File.Exists(path)) return durations;
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#')) continue;
            var fields = line.Split('\t');
            if (fields.Length < 4
                || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
                || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long end)
                || end < start) continue;
            durations[Path.GetFullPath(Path.Combine(buildDirectory, fields[3]))] = (end - start) / 1000.0;
        }
        return durations;
    }
}
