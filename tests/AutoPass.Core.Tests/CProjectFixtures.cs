namespace AutoPass.Core.Tests;

/// <summary>The small C projects under tests/fixtures/cprojects that tests build and run for real.</summary>
public static class CProjectFixtures
{
    public static string Path(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "AutoPass.Build.sln"))) return System.IO.Path.Combine(d.FullName, "tests", "fixtures", "cprojects", name);
        throw new InvalidOperationException("The repository root (AutoPass.Build.sln) was not found above " + AppContext.BaseDirectory);
    }
}
