namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>
/// Packs AutoPass.Build once per test run into a local folder feed, as a release would; the end-to-end
/// tests restore it from there into an isolated packages folder, as a user's repo would.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    private readonly TempDir _temp = new();

    public string FeedDirectory { get; }

    public string Version { get; } = "0.1.0";

    public PackageFeed()
    {
        FeedDirectory = Directory.CreateDirectory(_temp["feed"]).FullName;
        var result = Command.Dotnet(Repo.Root, ["pack", Path.Combine(Repo.Root, "nuget", "AutoPass.Build.csproj"), "-c", Repo.Configuration, "-o", FeedDirectory, "-nologo"]);
        if (result.ExitCode != 0) throw new InvalidOperationException("dotnet pack failed:\n" + result.Output);
        if (!File.Exists(Path.Combine(FeedDirectory, $"AutoPass.Build.{Version}.nupkg")))
            throw new InvalidOperationException("dotnet pack made no AutoPass.Build package:\n" + result.Output);
    }

    /// <summary>A NuGet.config for a consuming repo: this feed first, an isolated packages folder.</summary>
    public void WriteNuGetConfig(string repoDirectory)
    {
        File.WriteAllText(Path.Combine(repoDirectory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(repoDirectory, ".packages")}" />
              </config>
              <packageSources>
                <add key="autopass-local" value="{FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
    }

    public void Dispose() => _temp.Dispose();
}
