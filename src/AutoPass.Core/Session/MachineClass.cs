using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
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
    /// <summary>
    /// The class key: CPU model, cores and compiler as a name of lower-case letters, digits, '.', '_' and '-' of at most 64
    /// (it can name a folder of pinned files), e.g. "amd-epyc-7b13-2c-gcc-12.2.0"; a longer one ends in a hash of the whole.
    /// </summary>
    public string Key
    {
        get
        {
            string name = Slug(string.Create(CultureInfo.InvariantCulture, $"{CpuModel} {Cores}c {CompilerId} {CompilerVersion}"));
            if (name.Length <= MaxKeyLength) return name;
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Description)))[..8];
            return name[..(MaxKeyLength - hash.Length - 1)].TrimEnd('-', '.', '_') + "-" + hash;
        }
    }

    /// <summary>The class in words: "AMD EPYC 7B13, 2 cores, gcc 12.2.0".</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture, $"{CpuModel}, {Cores} cores, {CompilerId} {CompilerVersion}");

    private const int MaxKeyLength = 64;

    private static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            bool kept = c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_';
            if (kept) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        return slug.ToString().Trim('-', '.', '_');
    }

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
