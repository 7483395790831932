using System.Security;

namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>
/// An MSBuild project that imports the repository's build/ files and uses the freshly built task and
/// program, the way the package wires them; for tests of the targets without packing.
/// </summary>
public static class DriverProject
{
    public static string Write(string directory, string cmakeSourceDir, string benchmarkItems, string extraProperties = "")
    {
        string build = Path.Combine(Repo.Root, "build");
        string text = $"""
            <Project>
              <PropertyGroup>
                <AutoPassTasksAssembly>{SecurityElement.Escape(Repo.TasksAssembly)}</AutoPassTasksAssembly>
                <AutoPassCliPath>{SecurityElement.Escape(Repo.CliPath)}</AutoPassCliPath>
                <AutoPassCMakeSourceDir>{SecurityElement.Escape(cmakeSourceDir)}</AutoPassCMakeSourceDir>
                <AutoPassAgents>builtin</AutoPassAgents>
                {extraProperties}
              </PropertyGroup>
              <Import Project="{build}/AutoPass.Build.props" />
              <ItemGroup>
                {benchmarkItems}
              </ItemGroup>
              <Target Name="Build" />
              <Import Project="{build}/AutoPass.Build.targets" />
            </Project>
            """;
        string path = Path.Combine(directory, "autopass.proj");
        File.WriteAllText(path, text);
        return path;
    }
}
