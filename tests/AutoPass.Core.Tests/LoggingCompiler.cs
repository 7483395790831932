namespace AutoPass.Core.Tests;

/// <summary>
/// A compiler that logs every command line it is run with, then runs the real one: given as the request's C compiler,
/// it shows whether any compiler ever saw a flag.
/// </summary>
public sealed class LoggingCompiler
{
    public LoggingCompiler(string directory, string real = "/usr/bin/gcc")
    {
        Path = System.IO.Path.Combine(directory, "logging-gcc");
        LogPath = System.IO.Path.Combine(directory, "compiler-argv.log");
        File.WriteAllText(Path, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{LogPath}'\nexec '{real}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public string LogPath { get; }

    /// <summary>Every command line the compiler ran with, one a line; empty when it never ran.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
}
