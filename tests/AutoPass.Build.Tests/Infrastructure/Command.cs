using System.Diagnostics;
using System.Text;

namespace AutoPass.Build.Tests.Infrastructure;

public sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>Asserts the program failed with an AP error <paramref name="code"/> whose text mentions <paramref name="mentions"/>, and did not crash.</summary>
    public void AssertFailsWith(string code, string mentions)
    {
        Assert.True(ExitCode == 1, ToString());
        Assert.Contains($"autopass : error {code}: ", Output);
        Assert.Contains(mentions, Output);
        Assert.DoesNotContain("Unhandled exception", Output);
    }

    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>Runs dotnet (the SDK running these tests) or autopass as a user would, capturing everything printed.</summary>
public static class Command
{
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static CommandResult Dotnet(string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        Run(DotnetHost, arguments, workingDirectory, environment, timeout ?? TimeSpan.FromMinutes(10));

    public static CommandResult AutoPass(string workingDirectory, params string[] arguments) =>
        Run(DotnetHost, ["exec", Repo.CliPath, .. arguments], workingDirectory, null, TimeSpan.FromMinutes(10));

    public static CommandResult AutoPass(string workingDirectory, IDictionary<string, string?> environment, params string[] arguments) =>
        Run(DotnetHost, ["exec", Repo.CliPath, .. arguments], workingDirectory, environment, TimeSpan.FromMinutes(10));

    public static CommandResult Run(string file, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        // Each build in its own node: no task assembly stays loaded between tests.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["TERM"] = "dumb";
        // An Ollama server on the developer's machine must not change what the tests see.
        info.Environment["OLLAMA_HOST"] = "http://127.0.0.1:9";
        // Nor may a CI run's own step summary (GitHub Actions) collect the summaries of test sessions.
        info.Environment.Remove("GITHUB_STEP_SUMMARY");
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;

        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within {timeout}.\n{output}");
        }
        process.WaitForExit();
        lock (gate) return new CommandResult(process.ExitCode, output.ToString());
    }
}
