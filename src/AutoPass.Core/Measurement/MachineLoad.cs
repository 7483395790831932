using System.Globalization;

namespace AutoPass.Core.Measurement;

/// <summary>The machine's one-minute load average where the OS gives it (/proc/loadavg on Linux), for naming what a machine did.</summary>
internal static class MachineLoad
{
    public static double? Current()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return null;
            string first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
