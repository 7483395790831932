using AutoPass.Core.Diagnostics;
using AutoPass.Core.Measurement.Noise;

namespace AutoPass.Core.Tests.Measurement.Noise;

public sealed class MachinePressureTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("autopass-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    private void Stat(long user, long idle, long steal) =>
        File.WriteAllText(Path.Combine(_proc, "stat"), $"cpu  {user} 0 100 {idle} 10 0 5 {steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n");

    [Fact]
    public void Steal_pressure_and_load_are_read_from_proc()
    {
        Stat(1000, 5000, 0);
        var before = CpuTimes.Read(_proc);
        Assert.NotNull(before);
        Stat(1900, 5000, 100); // 900 + 100 ticks passed, 100 of them stolen
        Directory.CreateDirectory(Path.Combine(_proc, "pressure"));
        File.WriteAllText(Path.Combine(_proc, "pressure", "cpu"), "some avg10=13.86 avg60=44.07 avg300=36.27 total=332824443\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        File.WriteAllText(Path.Combine(_proc, "loadavg"), "3.62 2.95 1.77 2/89 17282\n");

        var pressure = MachinePressure.Read(before, _proc);
        Assert.Equal(0.1, pressure.StealShare!.Value, 12);
        Assert.Equal(13.86, pressure.CpuPressure);
        Assert.Equal(3.62, pressure.LoadAverage);
        var warnings = pressure.Warnings();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(DiagnosticCode.NoisyMachine, w.Code));
        Assert.Contains("10.0%", warnings[0].Message);
    }

    [Fact]
    public void Missing_files_read_as_null_and_warn_about_nothing()
    {
        Assert.Null(CpuTimes.Read(_proc));
        var pressure = MachinePressure.Read(new CpuTimes(0, 0), _proc);
        Assert.Equal(new MachinePressure(null, null, null), pressure);
        Assert.Empty(pressure.Warnings());
    }

    [Fact]
    public void A_quiet_machine_warns_about_nothing()
    {
        Assert.Empty(new MachinePressure(0.001, 0.5, 0.3).Warnings());
    }

    [Theory]
    [InlineData(1.11, false)] // the calibration's own benchmark and a little more: a quiet 2-core machine
    [InlineData(1.45, false)]
    [InlineData(1.62, true)]  // more than half a CPU of other work beside it
    [InlineData(2.10, true)]  // a build on the other core
    public void The_load_the_calibration_puts_on_the_machine_is_not_counted_against_it(double loadAverage, bool warns)
    {
        var warnings = new MachinePressure(null, null, loadAverage).Warnings();

        Assert.Equal(warns, warnings.Count == 1);
        if (warns) Assert.Contains("1 of it the calibration's own benchmark (above 1.5)", warnings[0].Message);
    }

    [LinuxFact]
    public void The_real_proc_is_read_cpu_times_and_load_average_with_values_in_their_ranges()
    {
        var before = CpuTimes.Read();
        var pressure = MachinePressure.Read(before);

        Assert.NotNull(before);
        Assert.True(before.Total > 0, $"total CPU ticks {before.Total}");
        Assert.InRange(before.Steal, 0, before.Total);
        Assert.NotNull(pressure.LoadAverage);
        Assert.True(pressure.LoadAverage >= 0);
        if (pressure.StealShare is { } steal) Assert.InRange(steal, 0, 1);
        if (pressure.CpuPressure is { } some) Assert.InRange(some, 0, 100);
    }
}
