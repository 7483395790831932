using System.Globalization;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Measurement.Noise;

/// <summary>
/// How busy the machine is, from /proc: hypervisor steal since an earlier reading, CPU pressure stall
/// ("some avg10", percent of the last 10 s some task waited for a CPU) and the one-minute load average.
/// Each is null where the file is missing or unreadable.
/// </summary>
internal sealed record MachinePressure(double? StealShare, double? CpuPressure, double? LoadAverage)
{
    /// <summary>Read now; steal needs <paramref name="since"/> (a <see cref="CpuTimes"/> taken earlier).</summary>
    public static MachinePressure Read(CpuTimes? since = null, string procRoot = "/proc")
    {
        double? steal = since is null ? null : CpuTimes.Read(procRoot)?.StealShareSince(since);
        return new MachinePressure(steal, ReadCpuPressure(procRoot), ReadLoadAverage(procRoot));
    }

    /// <summary>The load the calibration itself adds to the one-minute load average: one benchmark process, running throughout.</summary>
    public const double OwnLoad = 1;

    /// <summary>AP2004 warnings for whatever exceeds its threshold, each saying what it does to timings.</summary>
    public IReadOnlyList<NoiseWarning> Warnings(NoiseThresholds? thresholds = null)
    {
        var t = thresholds ?? new NoiseThresholds();
        var warnings = new List<NoiseWarning>();
        if (StealShare > t.StealShare)
            warnings.Add(new(DiagnosticCode.NoisyMachine,
                $"The hypervisor took {NoiseCalibration.Percent(StealShare.Value)} of CPU time (steal, above {NoiseCalibration.Percent(t.StealShare)}): " +
                "runs stall unpredictably, so intervals widen and small effects become unresolvable."));
        if (CpuPressure > t.CpuPressure)
            warnings.Add(new(DiagnosticCode.NoisyMachine,
                $"Tasks waited for a CPU {CpuPressure.Value.ToString("0.0", CultureInfo.InvariantCulture)}% of the last 10 s (/proc/pressure/cpu, above {t.CpuPressure:0}%): " +
                "benchmarks share the CPU with other work, so intervals widen and small effects become unresolvable."));
        // Read right after the calibration, whose benchmark kept one CPU busy all along: that much load is the session's own.
        if (LoadAverage is { } load && load - OwnLoad > t.OtherLoad)
            warnings.Add(new(DiagnosticCode.NoisyMachine,
                $"The load average is {load.ToString("0.00", CultureInfo.InvariantCulture)} after the calibration, " +
                $"{OwnLoad:0} of it the calibration's own benchmark (above {OwnLoad + t.OtherLoad:0.##}): " +
                "other processes compete with the benchmarks, so intervals widen and small effects become unresolvable."));
        return warnings;
    }

    private static double? ReadCpuPressure(string procRoot)
    {
        string? some = ReadLines(Path.Combine(procRoot, "pressure", "cpu"))?.FirstOrDefault(l => l.StartsWith("some ", StringComparison.Ordinal));
        string? avg10 = some?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(f => f.StartsWith("avg10=", StringComparison.Ordinal));
        return avg10 is not null && double.TryParse(avg10["avg10=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    private static double? ReadLoadAverage(string procRoot)
    {
        string? first = ReadLines(Path.Combine(procRoot, "loadavg"))?.FirstOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    private static string[]? ReadLines(string path)
    {
        try { return File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
