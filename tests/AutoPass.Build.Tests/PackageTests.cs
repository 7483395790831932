using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// What a fresh clone packs: a plain `dotnet pack` at the root of a `git clone` of this repository, with nothing
/// restored or built before, as a maintainer making a release would run it.
/// </summary>
public sealed class CleanClonePackage : IDisposable
{
    private readonly TempDir _temp = new();

    public string Clone { get; }
    public string Commit { get; }
    public string OutputDirectory { get; }
    public string PackagePath { get; }

    /// <summary>The package, unzipped: the layout a restore puts in the packages folder.</summary>
    public string Extracted { get; }

    public CleanClonePackage()
    {
        Clone = _temp["clone"];
        var clone = Command.Run("git", ["clone", "--quiet", Repo.Root, Clone], _temp.Path, null, TimeSpan.FromMinutes(2));
        if (clone.ExitCode != 0) throw new InvalidOperationException("git clone failed:\n" + clone);
        Commit = Command.Run("git", ["rev-parse", "HEAD"], Clone, null, TimeSpan.FromSeconds(30)).Output.Trim();
        OutputDirectory = _temp["out"];
        var pack = Command.Dotnet(Clone, ["pack", "-o", OutputDirectory, "-nologo"], timeout: TimeSpan.FromMinutes(20));
        if (pack.ExitCode != 0) throw new InvalidOperationException("dotnet pack in a fresh clone failed:\n" + pack);
        PackagePath = Path.Combine(OutputDirectory, "AutoPass.Build.0.1.0.nupkg");
        Extracted = _temp["package"];
        if (File.Exists(PackagePath)) ZipFile.ExtractToDirectory(PackagePath, Extracted);
    }

    public void Dispose() => _temp.Dispose();
}

public sealed class PackageTests(CleanClonePackage package) : IClassFixture<CleanClonePackage>, IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] TaskFrameworks = ["net472", "net8.0", "net10.0"];

    private XElement Metadata()
    {
        var nuspec = XDocument.Load(Path.Combine(package.Extracted, "AutoPass.Build.nuspec"));
        return nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    [Fact]
    public void A_plain_pack_of_a_fresh_clone_makes_AutoPass_Build_and_no_package_of_a_library_inside_it()
    {
        Assert.True(File.Exists(package.PackagePath), "no AutoPass.Build package in: " + string.Join(", ", Directory.GetFiles(package.OutputDirectory)));
        var made = Directory.GetFiles(package.OutputDirectory, "*.nupkg").Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(made, name => name!.StartsWith("AutoPass.Core", StringComparison.Ordinal) || name.StartsWith("AutoPass.Build.Tasks", StringComparison.Ordinal));
        Assert.Equal("AutoPass.Build", Value(Metadata(), "id"));
    }

    [Fact]
    public void The_package_carries_its_urls_icon_readme_and_release_notes()
    {
        var metadata = Metadata();
        Assert.Equal("https://github.com/autopass/autopass", Value(metadata, "projectUrl"));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal("https://github.com/autopass/autopass", repository.Attribute("url")?.Value);
        Assert.Equal(package.Commit, repository.Attribute("commit")?.Value);

        Assert.Equal("icon.png", Value(metadata, "icon"));
        byte[] icon = File.ReadAllBytes(Path.Combine(package.Extracted, "icon.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, icon[..4]);
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.True(File.Exists(Path.Combine(package.Extracted, "README.md")));

        string notes = File.ReadAllText(Path.Combine(package.Clone, "nuget", "RELEASE-NOTES.md"));
        Assert.Equal(notes.Trim().ReplaceLineEndings("\n"), Value(metadata, "releaseNotes")?.Trim().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("tools/autopass/autopass.dll", "Program.cs")]
    [InlineData("tools/autopass/AutoPass.Core.dll", "Session/TuningSession.cs")]
    [InlineData("tasks/net10.0/AutoPass.Build.Tasks.dll", "RunAutoPass.cs")]
    [InlineData("tasks/net472/AutoPass.Build.Tasks.dll", "RunAutoPass.cs")]
    public void Each_assembly_embeds_its_pdb_with_line_information_and_sourcelink_to_the_packed_commit(string assembly, string aSourceFile)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(package.Extracted, assembly)));
        var embedded = pe.ReadDebugDirectory().SingleOrDefault(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        Assert.True(embedded.DataSize > 0, $"{assembly} has no embedded PDB");
        using var pdbProvider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        var pdb = pdbProvider.GetMetadataReader();

        var documents = pdb.Documents.Select(h => pdb.GetString(pdb.GetDocument(h).Name)).ToList();
        Assert.Contains(documents, d => d.Replace('\\', '/').EndsWith(aSourceFile, StringComparison.Ordinal));
        // Sequence points are what give a stack trace its line numbers.
        Assert.Contains(pdb.MethodDebugInformation, h => pdb.GetMethodDebugInformation(h).GetSequencePoints().Any(p => !p.IsHidden && p.StartLine > 0));

        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        var sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(pdb.GetCustomDebugInformation)
            .SingleOrDefault(i => pdb.GetGuid(i.Kind) == sourceLinkKind);
        Assert.False(sourceLink.Value.IsNil, $"{assembly} has no SourceLink");
        string json = Encoding.UTF8.GetString(pdb.GetBlobBytes(sourceLink.Value));
        Assert.Contains($"https://raw.githubusercontent.com/autopass/autopass/{package.Commit}/*", json);
    }

    [Theory]
    [InlineData("net472", ".NETFramework,Version=v4.7.2")]
    [InlineData("net8.0", ".NETCoreApp,Version=v8.0")]
    [InlineData("net10.0", ".NETCoreApp,Version=v10.0")]
    public void The_package_holds_a_task_assembly_built_for_each_MSBuild_runtime(string folder, string framework)
    {
        string path = Path.Combine(package.Extracted, "tasks", folder, "AutoPass.Build.Tasks.dll");
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        Assert.Equal(framework, TargetFramework(reader));
        // No third-party dependency beside the task: it loads into MSBuild's own process.
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
        Assert.All(references, r => Assert.True(r is "mscorlib" or "netstandard" || r.StartsWith("System", StringComparison.Ordinal) || r.StartsWith("Microsoft.Build", StringComparison.Ordinal), r));
    }

    private static string? TargetFramework(MetadataReader reader)
    {
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference) continue;
            if (reader.GetString(reader.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) != "TargetFrameworkAttribute") continue;
            var value = reader.GetBlobReader(attribute.Value);
            value.ReadUInt16(); // the prolog
            return value.ReadSerializedString();
        }
        return null;
    }

    /// <summary>A project that imports the unzipped package's build files, the way a restore wires them.</summary>
    private string ConsumingProject(string extraProperties = "")
    {
        string build = Path.Combine(package.Extracted, "build");
        string path = _temp["autopass.proj"];
        File.WriteAllText(path, $"""
            <Project>
              <PropertyGroup>
                <AutoPassBuildNative>false</AutoPassBuildNative>
                <AutoPassCMakeSourceDir>{SecurityElement.Escape(_temp.Path)}</AutoPassCMakeSourceDir>
                {extraProperties}
              </PropertyGroup>
              <Import Project="{build}/AutoPass.Build.props" />
              <Target Name="Build" />
              <Import Project="{build}/AutoPass.Build.targets" />
            </Project>
            """);
        return path;
    }

    [Theory]
    [InlineData("Full", "17.14.8", "net472")]   // Visual Studio 2022's msbuild.exe
    [InlineData("Full", "18.0.5", "net472")]    // Visual Studio 2026's msbuild.exe
    [InlineData("Core", "17.8.3", "net8.0")]    // .NET SDK 8.0.1xx
    [InlineData("Core", "17.11.4", "net8.0")]   // .NET SDK 8.0.4xx
    [InlineData("Core", "17.14.8", "net8.0")]   // .NET SDK 9.0.3xx
    [InlineData("Core", "18.0.5", "net10.0")]   // .NET SDK 10
    [InlineData("", "", "net10.0")]             // the MSBuild running this test, as it is
    public void The_props_pick_the_task_assembly_built_for_the_MSBuild_that_loads_them(string runtime, string version, string expected)
    {
        string project = ConsumingProject(runtime == "" ? "" : $"<_AutoPassMSBuildRuntime>{runtime}</_AutoPassMSBuildRuntime><_AutoPassMSBuildVersion>{version}</_AutoPassMSBuildVersion>");

        var result = Command.Dotnet(_temp.Path, ["msbuild", project, "-nologo", "-getProperty:AutoPassTasksAssembly"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        string chosen = Path.GetFullPath(result.Output.Trim());
        Assert.Equal(Path.Combine(package.Extracted, "tasks", expected, "AutoPass.Build.Tasks.dll"), chosen);
        Assert.True(File.Exists(chosen));
    }

    [Theory]
    [InlineData("17.8.3", "net8.0")]
    [InlineData("18.0.5", "net10.0")]
    public void The_chosen_task_assembly_loads_in_this_MSBuild_and_runs_the_packaged_engine(string version, string expected)
    {
        // Verify with nothing pinned: the task must load, write the request and run the engine, whose error comes back with its code.
        string project = ConsumingProject($"<_AutoPassMSBuildRuntime>Core</_AutoPassMSBuildRuntime><_AutoPassMSBuildVersion>{version}</_AutoPassMSBuildVersion>");

        var result = Command.Dotnet(_temp.Path, ["msbuild", project, "-nologo", "-v:d", "-p:AutoPassVerify=true"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches($@"Using ""RunAutoPass"" task from assembly ""[^""]*{Regex.Escape(Path.Combine("tasks", expected, "AutoPass.Build.Tasks.dll"))}""", result.Output);
        Assert.Contains("error AP5004: There is no lock file at", result.Output);
        Assert.Contains($"exec {Path.Combine(package.Extracted, "build", "..", "tools", "autopass", "autopass.dll")} verify", result.Output);
    }
}
