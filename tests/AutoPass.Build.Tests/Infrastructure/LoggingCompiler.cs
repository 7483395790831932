namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>
/// A compiler that logs every command line it is run with, then runs the real one: set as CC (or AutoPassCCompiler),
/// it shows whether any compiler ever saw a flag.
/// </summary>
public sealed class LoggingCompiler
{
    public LoggingCompiler(string directory, string real = "gcc")
    {
        string resolved = Command.Run("sh", ["-c", $"command -v {real}"], directory, null, TimeSpan.FromSeconds(30)).Output.Trim();
        Path = System.IO.Path.Combine(directory, "logging-" + real);
        LogPath = System.IO.Path.Combine(directory, "compiler-argv.log");
        File.WriteAllText(Path, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{LogPath}'\nexec '{resolved}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public string LogPath { get; }

    /// <summary>Every command line the compiler ran with, one a line; empty when it never ran.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>Fails when any run of the compiler had <paramref name="flag"/> on its command line.</summary>
    public void AssertNeverRanWith(string flag) =>
        Assert.False(Log.Contains(flag, StringComparison.Ordinal), $"a compiler ran with {flag}:\n{Log}");
}
