using System.Diagnostics;
using System.Text.Json;
using static AutoPass.Core.Tests.Docs.EngineExamples;

namespace AutoPass.Core.Tests.Docs;

/// <summary>
/// The examples of docs/examples/many-machines checked by the tools that run them, as far as this machine allows: the
/// Kubernetes manifest decoded by kubectl into its Job type (no cluster here: `kubectl apply --dry-run=client` needs a
/// server to map the kind, so `kubectl set env --local` decodes it instead), and every shell script through `bash -n`.
/// </summary>
[Trait("Category", "Real")]
public sealed class EngineExamplesToolTests
{
    private static (int ExitCode, string Output, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    [Fact]
    public void Kubectl_decodes_the_job_as_a_batch_v1_Job_and_keeps_every_field_it_sets()
    {
        var (exit, output, error) = Run("kubectl", "set", "env", "--local", "-f", PathOf(Kubernetes), "AUTOPASS_EXAMPLE_CHECK=1", "-o", "json");

        Assert.True(exit == 0, error);
        using var decoded = JsonDocument.Parse(output);
        Assert.Equal("Indexed", decoded.RootElement.GetProperty("spec").GetProperty("completionMode").GetString());
        // kubectl drops a field its Job type does not have (a misspelt completionMode, say): every field written must come back.
        AssertKept(Yaml(Text(Kubernetes)), decoded.RootElement, "");
    }

    private static void AssertKept(object? written, JsonElement decoded, string path)
    {
        switch (written)
        {
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    Assert.True(decoded.TryGetProperty(key, out var kept), $"kubectl dropped {path}.{key}: no such field");
                    AssertKept(value, kept, $"{path}.{key}");
                }
                break;
            case List<object?> list:
                var items = decoded.EnumerateArray().ToList();
                Assert.True(items.Count >= list.Count, $"kubectl dropped items of {path}");
                for (int i = 0; i < list.Count; i++) AssertKept(list[i], items[i], $"{path}[{i}]");
                break;
        }
    }

    [Fact]
    public void The_slurm_script_parses_as_bash()
    {
        var (exit, _, error) = Run("bash", "-n", PathOf(Slurm));
        Assert.True(exit == 0, error);
    }

    [Fact]
    public void The_kubernetes_container_script_and_the_workflow_run_steps_parse_as_bash()
    {
        var container = Map(Assert.Single(List(Map(Yaml(Text(Kubernetes)), "spec", "template", "spec")["containers"])));
        var scripts = new List<string>(List(container["args"]).Cast<string>());
        foreach (var job in Map(Yaml(Text(GitHubActions)), "jobs").Values)
            foreach (var step in List(Map(job)["steps"]).Select(s => Map(s)))
                if (step.TryGetValue("run", out var run))
                    // The runner replaces ${{ ... }} before bash sees the script.
                    scripts.Add(System.Text.RegularExpressions.Regex.Replace((string)run!, @"\$\{\{[^}]*\}\}", "expression"));

        Assert.True(scripts.Count >= 5);
        foreach (string script in scripts)
        {
            var (exit, _, error) = Run("bash", "-n", "-c", script);
            Assert.True(exit == 0, $"{error}\n{script}");
        }
    }
}
