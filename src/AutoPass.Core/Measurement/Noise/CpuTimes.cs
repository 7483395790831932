using System.Globalization;

namespace AutoPass.Core.Measurement.Noise;

/// <summary>
/// The aggregate "cpu" line of /proc/stat, in clock ticks. Steal only means something as a difference
/// between two readings, so take one before measuring and compare after.
/// </summary>
internal sealed record CpuTimes(long Total, long Steal)
{
    /// <summary>The current counters, or null where /proc/stat is missing or unreadable (not Linux).</summary>
    public static CpuTimes? Read(string procRoot = "/proc")
    {
        try
        {
            string? line = File.ReadLines(Path.Combine(procRoot, "stat")).FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null) return null;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            if (fields.Length < 8) return null;
            // user nice system idle iowait irq softirq steal; guest time is already inside user.
            return new CpuTimes(fields.Take(8).Sum(), fields[7]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Share of CPU time stolen by the hypervisor since <paramref name="earlier"/>; null if no time passed.</summary>
    public double? StealShareSince(CpuTimes earlier)
    {
        long total = Total - earlier.Total;
        return total > 0 ? (double)(Steal - earlier.Steal) / total : null;
    }
}
