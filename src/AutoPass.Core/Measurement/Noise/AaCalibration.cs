using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Measurement.Noise;

/// <summary>One benchmark's baseline executable and how long a run of it may take.</summary>
internal sealed record CalibrationSubject(BenchmarkSpec Benchmark, string Executable, TimeSpan Timeout);

/// <summary>
/// The A/A calibration: the baseline timed against itself reached through another path, so whatever it
/// shows is noise (or a bias between two copies of one program), nothing else.
/// </summary>
internal static class AaCalibration
{
    /// <summary>A/A pairs per benchmark: enough for the noise profile to see spread, outliers and drift.</summary>
    public const int Pairs = 20;

    public static Task<MeasurementResult> MeasureAsync(ProgramRunner runner, IReadOnlyList<CalibrationSubject> subjects, string copyDir, string workingDirectory,
        StatisticsOptions statistics, int seed, CancellationToken ct)
    {
        Directory.CreateDirectory(copyDir);
        var pairs = new List<ExecutablePair>();
        foreach (var subject in subjects)
        {
            string copy = Path.Combine(copyDir, Path.GetFileName(subject.Executable));
            File.Delete(copy);
            // A link, not a copy: a freshly written executable can fail to start while any process forked meanwhile
            // still holds it open for writing (ETXTBSY). The A/A pair differs in path, not in bytes.
            try { File.CreateSymbolicLink(copy, subject.Executable); }
            catch (IOException)
            {
                File.Copy(subject.Executable, copy, overwrite: true);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(copy, File.GetUnixFileMode(subject.Executable));
            }
            pairs.Add(new ExecutablePair(subject.Benchmark, subject.Executable, copy, workingDirectory, subject.Timeout));
        }
        return new PairedMeasurement(runner, seed).MeasureAsync(pairs, new SequentialSpeedupTest(statistics), Pairs, ct);
    }
}
