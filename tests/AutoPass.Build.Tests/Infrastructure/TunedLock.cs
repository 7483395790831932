using System.Globalization;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>Lock files for a compiler installed here, as a session on this machine would write them.</summary>
internal static class TunedLock
{
    /// <summary>The installed compiler's full version ("12.2.0"; gcc's -dumpversion says only "12").</summary>
    public static string InstalledVersion(string compiler) =>
        Command.Run(compiler, [compiler == "clang" ? "-dumpversion" : "-dumpfullversion"], Path.GetTempPath(), null, TimeSpan.FromSeconds(30)).Output.Trim();

    /// <summary>The versions a lock file pins: the installed compiler's major version.</summary>
    public static string MajorRange(string version)
    {
        int major = int.Parse(version.Split('.')[0], CultureInfo.InvariantCulture);
        return $"[{major}.0.0, {major + 1}.0.0)";
    }

    /// <param name="compiler">"gcc" or "clang", as on PATH and as the lock file names it.</param>
    /// <param name="range">The versions pinned; null: the installed compiler's major version.</param>
    public static LockFile For(string compiler, IReadOnlyList<string> baseline, IReadOnlyList<string> flags, string? range = null, int trials = 1)
    {
        string version = InstalledVersion(compiler);
        return new LockFile
        {
            Tool = new LockTool("AutoPass", "0.1.0"),
            Compiler = new LockCompiler(compiler, version, range ?? MajorRange(version)),
            Machine = MachineDescription.Current(),
            Baseline = new LockBaseline(baseline),
            Flags = flags,
            Outcome = "improved",
            Reason = "test",
            Policy = new LockPolicy(false, false),
            Speedup = new LockSpeedup(1.1, 1.05, 1.15, 0.95, 20),
            Benchmarks = [],
            Trials = trials,
        };
    }
}
