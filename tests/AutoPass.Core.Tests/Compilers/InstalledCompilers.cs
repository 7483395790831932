using AutoPass.Core.Compilers;
using AutoPass.Core.Processes;

namespace AutoPass.Core.Tests.Compilers;

/// <summary>
/// The real gcc and clang these tests run. Both are required: CI installs them (apt: gcc clang valgrind), and a test
/// that silently skipped a missing compiler would hide exactly the breakage it exists to catch.
/// </summary>
internal static class InstalledCompilers
{
    private static readonly Lazy<Task<CompilerInfo>> LazyGcc = new(() => Identify("gcc"));
    private static readonly Lazy<Task<CompilerInfo>> LazyClang = new(() => Identify("clang"));

    public static Task<CompilerInfo> Gcc() => LazyGcc.Value;
    public static Task<CompilerInfo> Clang() => LazyClang.Value;

    private static Task<CompilerInfo> Identify(string name)
    {
        string path = ExternalTool.FindOnPath(name)
            ?? throw new InvalidOperationException($"'{name}' is not on PATH. These tests need it: apt-get install -y gcc clang valgrind.");
        return CompilerProbe.IdentifyAsync(path);
    }

    /// <summary>A scratch directory removed by the caller.</summary>
    public static string ScratchDirectory(string purpose)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"autopass-test-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Captured compiler output under Compilers/Data, found from the test binaries up to the source tree.</summary>
    public static string DataFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in (string[])[Path.Combine(dir.FullName, "Compilers", "Data", name),
                         Path.Combine(dir.FullName, "tests", "AutoPass.Core.Tests", "Compilers", "Data", name)])
                if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Test data {name} not found above {AppContext.BaseDirectory}.");
    }
}
