using System.Runtime.InteropServices;

namespace AutoPass.Core.Measurement;

/// <summary>
/// CPU time of finished child processes, from getrusage(RUSAGE_CHILDREN). The runtime reaps each child
/// before WaitForExit returns, so the difference around one run is that run's user+system time.
/// Valid only because AutoPass never runs two timed programs at once.
/// </summary>
internal static partial class ChildCpuClock
{
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal User;
        public TimeVal System;
        // The rest of struct rusage: 14 longs we do not read.
        public long F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsage(int who, out RUsage usage);

    /// <summary>Total CPU seconds of reaped children so far, or NaN off Linux.</summary>
    public static double ChildrenSeconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        try
        {
            if (GetRUsage(RusageChildren, out var u) != 0) return double.NaN;
            return u.User.Seconds + u.User.Microseconds / 1e6 + u.System.Seconds + u.System.Microseconds / 1e6;
        }
        catch (DllNotFoundException)
        {
            return double.NaN;
        }
    }
}
