using AutoPass.Build.Tests.Infrastructure;
using AutoPass.Core.Pinning;

namespace AutoPass.Build.Tests;

/// <summary>
/// `dotnet build -p:AutoPassRecheck=true` as a user runs it: the package from a local feed, the optkernel project with
/// -O2 pinned over -O0. A real gain passes the build; the benchmark changed so the kernel does no work turns the
/// recheck's AP2040 into a build error.
/// </summary>
public sealed class RecheckPackageTests(PackageFeed feed) : IClassFixture<PackageFeed>, IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Repository(string rounds)
    {
        string repo = _temp.CopyFrom(Repo.Fixture("optkernel"), "my-native-repo");
        feed.WriteNuGetConfig(repo);
        File.WriteAllText(Path.Combine(repo, "autopass.proj"), $"""
            <Project Sdk="Microsoft.Build.NoTargets/3.7.0">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <AutoPassRecheckPairs>12</AutoPassRecheckPairs>
                <AutoPassBuildNative>false</AutoPassBuildNative>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AutoPass.Build" Version="{feed.Version}" PrivateAssets="all" />
                <AutoPassBenchmark Include="mix" Arguments="{rounds}" />
              </ItemGroup>
            </Project>
            """);
        PinnedFiles.Write(Path.Combine(repo, "autopass"),
            TunedLock.For("gcc", ["-O0"], ["-O2"]) with { Speedup = new LockSpeedup(8.0, 3.0, 100.0, 0.95, 60) }, repo);
        return repo;
    }

    private static readonly Dictionary<string, string?> Gcc = new() { ["CC"] = "gcc" };

    [Fact]
    public void A_real_gain_passes_the_build_and_a_vanished_one_fails_it_with_AP2040()
    {
        string repo = Repository("15000");

        var holds = Command.Dotnet(repo, ["build", "autopass.proj", "-p:AutoPassRecheck=true", "-nodeReuse:false"], Gcc);

        Assert.True(holds.ExitCode == 0, holds.ToString());
        Assert.Matches(@"AutoPass: recheck: re-measured \d+\.\d{3}x \[\d+\.\d{3}, \d+\.\d{3}\] in 12 pairs, pinned 8\.000x \[3\.000, 100\.000\]: the claim holds", holds.Output);

        string project = Path.Combine(repo, "autopass.proj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("Arguments=\"15000\"", "Arguments=\"0\""));

        var gone = Command.Dotnet(repo, ["build", "autopass.proj", "-p:AutoPassRecheck=true", "-nodeReuse:false"], Gcc);

        Assert.NotEqual(0, gone.ExitCode);
        Assert.Matches(@"error AP2040: .*The pinned speedup no longer holds", gone.Output);
        Assert.DoesNotContain("Unhandled exception", gone.Output);
    }
}
