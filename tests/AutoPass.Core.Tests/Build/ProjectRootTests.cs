using AutoPass.Core.Build;

namespace AutoPass.Core.Tests.Build;

/// <summary>Where a project's sources are (<see cref="ProjectRoot"/>), on directories made for the test.</summary>
[Trait("Category", "Real")]
public sealed class ProjectRootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-root-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string At(params string[] parts) => Path.Combine([_dir, .. parts]);

    [Fact]
    public void Sources_beside_a_build_cmake_directory_make_their_common_parent_the_root()
    {
        string root = ProjectRoot.Find(At("repo", "build", "cmake"), At("out"), [At("repo", "lib", "lz4.c"), At("repo", "programs", "lz4cli.c")]);
        Assert.Equal(At("repo"), root);
    }

    [Fact]
    public void Sources_under_the_cmake_directory_keep_it_as_the_root_and_generated_sources_do_not_count()
    {
        string root = ProjectRoot.Find(At("repo"), At("repo", "build"), [At("repo", "src", "a.c"), At("repo", "build", "gen", "b.c")]);
        Assert.Equal(At("repo"), root);
        // A generated file in a build tree outside the project does not widen it either.
        Assert.Equal(At("repo"), ProjectRoot.Find(At("repo"), At("out"), [At("repo", "src", "a.c"), At("out", "gen.c")]));
    }

    [Fact]
    public void The_root_never_goes_above_the_repository_root()
    {
        Directory.CreateDirectory(At("repo", ".git"));
        string root = ProjectRoot.Find(At("repo", "cmake"), At("out"), [At("repo", "src", "a.c"), At("elsewhere", "dep.c")]);
        Assert.Equal(At("repo"), root);
        Assert.Equal(At("repo"), Core.Workload.ConfinedPath.RepositoryRoot(At("repo", "cmake")));
    }

    [Fact]
    public void Everything_is_under_the_filesystem_root_and_a_source_with_no_common_parent_but_it_is_left_out()
    {
        Assert.True(ProjectRoot.IsUnder(At("repo", "a.c"), Path.GetPathRoot(_dir)!));
        // No repository: a source whose only common parent with the project is the filesystem root is not the project's.
        string root = ProjectRoot.Find(At("repo"), At("out"), [At("repo", "a.c"), Path.Combine(Path.GetPathRoot(_dir)!, "usr", "src", "dep.c")]);
        Assert.Equal(At("repo"), root);
    }
}
