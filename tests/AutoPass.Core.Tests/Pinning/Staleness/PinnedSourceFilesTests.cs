using AutoPass.Core.Diagnostics;
using AutoPass.Core.Pinning;
using AutoPass.Core.Pinning.Staleness;

namespace AutoPass.Core.Tests.Pinning.Staleness;

/// <summary>
/// How far a lock file's source paths may reach: a CMake project in build/cmake names its sources ../../lib/x.c, which
/// stays inside the git repository and passes; without a repository only the CMake source directory counts.
/// </summary>
[Trait("Category", "Real")]
public sealed class PinnedSourceFilesTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("autopass-pinned-paths-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private static LockFile Pinning(string path, string sha256) => new()
    {
        Tool = new LockTool("AutoPass", "0.1.0"),
        Compiler = new LockCompiler("gcc", "12.2.0", "[12.0.0, 13.0.0)"),
        Machine = new LockMachine("cpu", 2, "linux", "x64"),
        Baseline = new LockBaseline(["-O2"]),
        Flags = ["-funroll-loops"],
        Files = [new LockSourceFile(path, ["-funroll-loops"], sha256)],
        Outcome = "improved",
        Reason = "because",
        Policy = new LockPolicy(false, false),
        Speedup = new LockSpeedup(1.07, 1.04, 1.1, 0.95, 40),
        Benchmarks = [],
        Trials = 1,
    };

    private string SourceDirWithLib()
    {
        string source = Path.Combine(_repo, "build", "cmake");
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(Path.Combine(_repo, "lib"));
        File.WriteAllText(Path.Combine(_repo, "lib", "lz4.c"), "int f(void) { return 1; }\n");
        return source;
    }

    [Fact]
    public void A_path_climbing_out_of_the_CMake_dir_but_not_out_of_the_git_repository_is_read()
    {
        Directory.CreateDirectory(Path.Combine(_repo, ".git"));
        string source = SourceDirWithLib();
        var lockFile = Pinning("../../lib/lz4.c", LockSourceFile.HashOf(Path.Combine(_repo, "lib", "lz4.c")));

        Assert.Empty(PinnedSourceFiles.CheckPaths(source, lockFile));
        Assert.Empty(PinnedSourceFiles.Check(source, lockFile));
    }

    [Fact]
    public void Without_a_git_repository_the_same_path_leaves_the_project()
    {
        string source = SourceDirWithLib();
        var lockFile = Pinning("../../lib/lz4.c", LockSourceFile.HashOf(Path.Combine(_repo, "lib", "lz4.c")));

        var finding = Assert.Single(PinnedSourceFiles.CheckPaths(source, lockFile));
        Assert.Equal(DiagnosticCode.PinnedPathRefused, finding.Code);
        Assert.Contains($"'../../lib/lz4.c', which leaves {source}", finding.Message);
    }

    [Fact]
    public void Without_a_git_repository_pinned_files_beside_the_sources_make_the_project_their_common_parent()
    {
        string source = SourceDirWithLib();
        var lockFile = Pinning("../../lib/lz4.c", LockSourceFile.HashOf(Path.Combine(_repo, "lib", "lz4.c")));

        // autopass/ at the top (an autopass.proj beside lib/): the project reaches lib/, and no further.
        Assert.Empty(PinnedSourceFiles.CheckPaths(source, lockFile, Path.Combine(_repo, "autopass")));
        var outside = Pinning("../../../elsewhere.c", new string('0', 64));
        Assert.Equal(DiagnosticCode.PinnedPathRefused, Assert.Single(PinnedSourceFiles.CheckPaths(source, outside, Path.Combine(_repo, "autopass"))).Code);
    }

    [Fact]
    public void A_file_larger_than_any_tuned_source_is_not_hashed()
    {
        Directory.CreateDirectory(Path.Combine(_repo, ".git"));
        using (var big = File.Create(Path.Combine(_repo, "huge.c"))) big.SetLength(PinnedSourceFiles.MaxSourceBytes + 1);

        var finding = Assert.Single(PinnedSourceFiles.Check(_repo, Pinning("huge.c", new string('0', 64))));
        Assert.Equal(DiagnosticCode.PinnedPathRefused, finding.Code);
        Assert.Contains("more than a tuned source file", finding.Message);
    }
}
