using System.Globalization;
using System.Runtime.InteropServices;
using AutoPass.Core.Compilers;
using AutoPass.Core.Pinning;

namespace AutoPass.Core.Session;

/// <summary>
/// What a worker's machine is, as the trial store records it, and the class it belongs to: machines of one class
/// (the same CPU model, core count and compiler) time a candidate against their own baselines alike, so their results
/// are pooled; results of different classes never are. Memory and the kernel are recorded but do not split a class:
/// a kernel patch or another memory size does not make another machine of the speedups.
/// </summary>
internal sealed record MachineClass(string CpuModel, int Cores, long MemoryBytes, string Kernel, string CompilerId, string CompilerVersion)
{
    /// <summary>The class key: CPU model, cores and compiler, e.g. "Intel(R) Xeon(R) CPU @ 2.20GHz; 2 cores; gcc 12.2.0".</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{CpuModel}; {Cores} cores; {CompilerId} {CompilerVersion}");

    /// <summary>This machine, with the compiler the baseline was built with.</summary>
    public static MachineClass Current(CompilerInfo compiler)
    {
        var machine = MachineDescription.Current();
        return new MachineClass(machine.Cpu, machine.LogicalCores, MemoryBytesOfThisMachine(), KernelOfThisMachine(), compiler.Id, compiler.Version.ToNormalizedString());
    }

    private static long MemoryBytesOfThisMachine()
    {
        try
        {
            if (File.Exists("/proc/meminfo"))
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                        && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                        return kb * 1024;
        }
        catch (IOException) { }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    private static string KernelOfThisMachine()
    {
        try
        {
            if (File.Exists("/proc/sys/kernel/osrelease")) return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException) { }
        return RuntimeInformation.OSDescription;
    }
}
