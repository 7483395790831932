using AutoPass.Core.Build;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests;

/// <summary>
/// A scratch copy of a fixture project (tests/fixtures/cprojects/unruly by default: benchmarks that misbehave with
/// their output and their processes) and a request to tune it; removed afterwards.
/// </summary>
internal sealed class UnrulyProject : IDisposable
{
    public UnrulyProject(string fixture = "unruly")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("autopass-unruly-").FullName;
        // A copy: benchmarks run in the source directory.
        System.IO.Directory.CreateDirectory(SourceDir);
        foreach (var file in System.IO.Directory.EnumerateFiles(CProjectFixtures.Path(fixture)))
            File.Copy(file, Path.Combine(SourceDir, Path.GetFileName(file)));
    }

    public string Directory { get; }
    public string SourceDir => Path.Combine(Directory, "src");

    public TuningRequest Request(params BenchmarkSpec[] benchmarks) => new()
    {
        SourceDir = SourceDir,
        OutputDir = Path.Combine(Directory, "pinned"),
        IntermediateDir = Path.Combine(Directory, "obj"),
        Benchmarks = benchmarks,
    };

    /// <summary>Builds the fixture at -O2 and returns the target's executable.</summary>
    public async Task<string> BuildAsync(string target)
    {
        var build = await new CMakeBuilder(new CMakeSettings(SourceDir)).BuildAsync(["-O2"], Path.Combine(Directory, "build"), [target], "test build", CancellationToken.None);
        Assert.True(build.Succeeded, build.Log);
        return build.Executables[target];
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
