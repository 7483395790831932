using System.Diagnostics;
using AutoPass.Core.Build;
using AutoPass.Core.Compilers.Profiling;

namespace AutoPass.Core.Tests.Compilers;

/// <summary>
/// A benchmark far too long to profile whole under callgrind (the layered fixture's kernel, billions of iterations): the
/// profile takes a sample of its start and still names the hot file. Real cmake, gcc, ninja and valgrind.
/// </summary>
[Trait("Category", "Real")]
public sealed class HotFileProfileSamplingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("autopass-sampling-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_run_still_going_when_the_sample_is_up_is_interrupted_and_its_profile_so_far_names_the_hot_file()
    {
        Assert.True(HotFileProfile.Available, "the profile needs valgrind and nm on PATH");
        string project = CProjectFixtures.CopyTo("layered", _root);
        string tree = Path.Combine(_root, "tree");
        var built = await new CMakeBuilder(new CMakeSettings(Path.Combine(project, "build", "cmake"), Generator: "Ninja"))
            .BuildAsync(["-O2"], tree, ["layered"], "test", CancellationToken.None);
        Assert.True(built.Succeeded, built.Log);
        // 60 rounds of 4 billion: hours under callgrind.
        var run = new HotFileProfile.ProfiledRun(built.Executables["layered"], ["4000000000"], project);

        var clock = Stopwatch.StartNew();
        var profile = await HotFileProfile.ProfileAsync(tree, [run], sampleFor: TimeSpan.FromSeconds(3), timeout: TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Equal(1, profile.SampledRuns);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"the profile took {clock.Elapsed}: the run was not interrupted at its sample");
        Assert.Equal(Path.Combine(project, "lib", "kernel.c"), profile.Files[0].File);
        Assert.True(profile.Files[0].Share > 0.9, $"kernel.c holds {profile.Files[0].Share:P0} of the sample");
    }
}
