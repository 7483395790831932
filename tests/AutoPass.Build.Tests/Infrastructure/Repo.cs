using System.Reflection;

namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>Paths into the repository and to the freshly built task and program.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(Repo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string CliPath => Path.Combine(Root, "src", "AutoPass.Cli", "bin", Configuration, "net10.0", "autopass.dll");

    public static string TasksAssembly => Path.Combine(Root, "src", "AutoPass.Build.Tasks", "bin", Configuration, "net10.0", "AutoPass.Build.Tasks.dll");

    public static string Fixture(string name) => Path.Combine(Root, "tests", "fixtures", "cprojects", name);

    public static string Sample(string name) => Path.Combine(Root, "samples", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoPass.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (AutoPass.Build.sln) was not found above " + AppContext.BaseDirectory);
    }
}
