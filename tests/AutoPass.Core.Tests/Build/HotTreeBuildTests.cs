using System.Security.Cryptography;
using AutoPass.Core.Build;

namespace AutoPass.Core.Tests.Build;

/// <summary>
/// Hot-file candidates built one after another in one tree (tests/fixtures/cprojects/layered, CMake in build/cmake, the
/// hot file in lib/), for real with cmake, gcc and ninja: CMake configures the tree once, and each flag set after that
/// recompiles the hot file alone from its response file.
/// </summary>
[Trait("Category", "Real")]
public sealed class HotTreeBuildTests : IDisposable
{
    private const string HotFile = "../../lib/kernel.c";
    private readonly string _temp = Directory.CreateTempSubdirectory("autopass-hottree-").FullName;
    private readonly string _root;
    private readonly LoggingCompiler _compiler;

    public HotTreeBuildTests()
    {
        _root = CProjectFixtures.CopyTo("layered", _temp);
        _compiler = new LoggingCompiler(_temp);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Tree => Path.Combine(_root, "tree");

    private CMakeBuilder Builder => new(new CMakeSettings(Path.Combine(_root, "build", "cmake"), Generator: "Ninja", CCompiler: _compiler.Path));

    /// <summary>Builds with <paramref name="fileFlags"/> on the hot file; returns the program's SHA-256 and the build's log.</summary>
    private async Task<(string Hash, string Log)> BuildAsync(string output, params string[] fileFlags)
    {
        var built = await Builder.BuildInTreeAsync(["-O2"], [new FileFlags(HotFile, fileFlags)], Tree, Path.Combine(_root, output), ["layered"], CancellationToken.None);
        Assert.True(built.Succeeded, built.Failure?.Message + "\n" + built.Log);
        return (Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(built.Executables["layered"]))), built.Log);
    }

    [Fact]
    public async Task Each_flag_set_after_the_first_recompiles_the_hot_file_alone_without_configuring_again()
    {
        var first = await BuildAsync("a", "-O0");
        string cache = Path.Combine(Tree, "CMakeCache.txt");
        var configuredAt = File.GetLastWriteTimeUtc(cache);
        int compilesBefore = _compiler.Log.Split('\n').Count(l => l.Contains(" -c ", StringComparison.Ordinal));

        var second = await BuildAsync("b", "-O3", "-funroll-loops");

        // The kernel was compiled anew with the new flags: another program.
        Assert.NotEqual(first.Hash, second.Hash);
        // CMake did not run: the cache is untouched and the build's log holds no configure.
        Assert.Equal(configuredAt, File.GetLastWriteTimeUtc(cache));
        Assert.DoesNotContain("Configuring done", second.Log);
        // One compile, of the hot file, through its response file.
        var compiles = _compiler.Log.Split('\n').Where(l => l.Contains(" -c ", StringComparison.Ordinal)).Skip(compilesBefore).ToList();
        var compile = Assert.Single(compiles);
        Assert.Contains("kernel.c", compile);
        Assert.Contains("@", compile);

        // Back to the first flags: the same program as the first build, so no object of another flag set was kept.
        var third = await BuildAsync("c", "-O0");
        Assert.Equal(first.Hash, third.Hash);
        Assert.Equal(configuredAt, File.GetLastWriteTimeUtc(cache));
    }

    [Fact]
    public async Task The_same_flags_again_compile_nothing()
    {
        var first = await BuildAsync("a", "-funroll-loops");
        int compilesBefore = _compiler.Log.Split('\n').Count(l => l.Contains(" -c ", StringComparison.Ordinal));

        var again = await BuildAsync("b", "-funroll-loops");

        Assert.Equal(first.Hash, again.Hash);
        Assert.Equal(compilesBefore, _compiler.Log.Split('\n').Count(l => l.Contains(" -c ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_source_the_compile_commands_do_not_name_is_reported_so_the_tree_is_rebuilt_clean()
    {
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Combine(Tree, "compile_commands.json"),
            $$"""[{"directory": "{{Tree}}", "file": "{{_root}}/lib/kernel.c", "output": "kernel.c.o", "command": "cc -c kernel.c"}]""");
        File.WriteAllText(Path.Combine(Tree, "kernel.c.o"), "");

        Assert.True(HotFileResponseFiles.RemoveObjects(Tree, [Path.Combine(_root, "lib", "kernel.c")]));
        Assert.False(File.Exists(Path.Combine(Tree, "kernel.c.o")));
        Assert.False(HotFileResponseFiles.RemoveObjects(Tree, [Path.Combine(_root, "lib", "report.c")]));
    }
}
