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

    /// <summary>
    /// A copy of a fixture in <paramref name="parent"/>: a session locks its source directory, so tests that may run
    /// at once each tune a copy of their own.
    /// </summary>
    public static string CopyTo(string name, string parent)
    {
        string from = Path(name), to = System.IO.Path.Combine(parent, name);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return to;
    }
}
