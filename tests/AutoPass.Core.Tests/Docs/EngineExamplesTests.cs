using System.Text.RegularExpressions;
using static AutoPass.Core.Tests.Docs.EngineExamples;

namespace AutoPass.Core.Tests.Docs;

/// <summary>
/// The examples that start N workers against one store (docs/examples/many-machines): each says what its engine needs
/// to start N workers of one campaign, and sets only properties AutoPass has.
/// </summary>
public sealed class EngineExamplesTests
{
    /// <summary>The worker switch lands with the workers themselves; until then it is the one property the table may lack.</summary>
    private const string WorkerProperty = "AutoPassWorker";

    private static readonly string[] WorkerProperties = ["AutoPassTune", WorkerProperty, "AutoPassStore", "AutoPassCampaign"];

    public static TheoryData<string> Examples() => [Kubernetes, GitHubActions, Slurm];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_example_starts_workers_with_properties_the_readme_documents(string example)
    {
        var set = PropertiesSet(Text(example));
        var documented = DocumentedProperties();

        Assert.Superset(WorkerProperties.ToHashSet(), set.ToHashSet());
        Assert.All(set, property => Assert.True(documented.Contains(property) || property == WorkerProperty,
            $"{example} sets {property}, which README.md's property table does not document"));
    }

    [Fact]
    public void The_docs_page_sets_only_documented_properties_too()
    {
        string page = File.ReadAllText(Path.Combine(Root(), "docs", "many-machines.md"));
        var documented = DocumentedProperties();

        Assert.All(PropertiesSet(page), property => Assert.True(documented.Contains(property) || property == WorkerProperty, $"many-machines.md sets {property}"));
    }

    [Fact]
    public void The_kubernetes_job_is_indexed_with_N_workers_and_the_password_from_a_secret()
    {
        var job = Map(Yaml(Text(Kubernetes)));
        Assert.Equal("batch/v1", job["apiVersion"]);
        Assert.Equal("Job", job["kind"]);
        var spec = Map(job, "spec");
        Assert.Equal("Indexed", spec["completionMode"]);
        int workers = int.Parse((string)spec["parallelism"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(workers >= 2);
        Assert.Equal(spec["parallelism"], spec["completions"]);
        var pod = Map(spec, "template", "spec");
        Assert.Equal("Never", pod["restartPolicy"]);
        var container = Map(Assert.Single(List(pod["containers"])));
        var env = List(container["env"]).Select(e => Map(e)).ToDictionary(e => (string)e["name"]!);
        var secret = Map(env["PGPASSWORD"], "valueFrom", "secretKeyRef");
        Assert.Equal("autopass-store", secret["name"]);
        Assert.DoesNotContain("Password", (string)env["AUTOPASS_STORE"]["value"]!, StringComparison.OrdinalIgnoreCase);
        string script = string.Join('\n', List(container["args"]).Cast<string>());
        Assert.Contains("git clone", script);
        Assert.Matches(@"dotnet build ""\$\{AUTOPASS_PROJECT\}"" -p:AutoPassTune=true -p:AutoPassWorker=true \\\n\s+-p:AutoPassStore=""\$\{AUTOPASS_STORE\}"" -p:AutoPassCampaign=""\$\{AUTOPASS_CAMPAIGN\}""", script);
        // Guaranteed pods: whole cores, requests equal to limits.
        Assert.Equal(Map(container, "resources", "requests")["cpu"], Map(container, "resources", "limits")["cpu"]);
    }

    [Fact]
    public void The_workflow_runs_a_matrix_of_workers_then_concludes_and_uploads_the_pinned_files()
    {
        var workflow = Map(Yaml(Text(GitHubActions)));
        var jobs = Map(workflow, "jobs");
        var worker = Map(jobs, "worker");
        Assert.True(List(Map(worker, "strategy", "matrix")["worker"]).Count >= 2);
        Assert.Equal("false", Map(worker, "strategy")["fail-fast"]);
        var conclude = Map(jobs, "conclude");
        Assert.Equal("worker", conclude["needs"]);

        foreach (var job in new[] { worker, conclude })
        {
            var steps = List(job["steps"]).Select(s => Map(s)).ToList();
            var tune = Assert.Single(steps, s => s.TryGetValue("run", out var run) && ((string)run!).Contains("AutoPassWorker=true", StringComparison.Ordinal));
            Assert.Equal("${{ secrets.AUTOPASS_PGPASSWORD }}", Map(tune, "env")["PGPASSWORD"]);
            string run = (string)tune["run"]!;
            Assert.All(WorkerProperties, property => Assert.Contains($"-p:{property}=", run));
            Assert.Contains("-p:AutoPassStore=\"${{ vars.AUTOPASS_STORE }}\"", run);
            // Every action pinned to a major version, as GitHub recommends at the least.
            Assert.All(steps.Where(s => s.ContainsKey("uses")), s => Assert.Matches(@"^[\w.-]+/[\w.-]+@v\d+$", (string)s["uses"]!));
        }
        var concludeSteps = List(conclude["steps"]).Select(s => Map(s)).ToList();
        var upload = Assert.Single(concludeSteps, s => (s.GetValueOrDefault("uses") as string)?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.Equal("autopass/", Map(upload, "with")["path"]);
        Assert.Contains(concludeSteps, s => (s.GetValueOrDefault("run") as string)?.Contains("gh pr create", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_slurm_script_is_a_job_array_whose_directives_sbatch_reads()
    {
        var lines = Text(Slurm).Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        // sbatch reads #SBATCH lines only before the first line that is neither a comment nor blank.
        int firstCommand = Array.FindIndex(lines, l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        var directives = lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("#SBATCH", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(directives);
        Assert.All(directives, d =>
        {
            Assert.True(d.i < firstCommand, $"'{d.line}' comes after the first command, where sbatch no longer reads it");
            Assert.Matches(@"^#SBATCH --[a-z][a-z-]*=\S+$", d.line);
        });
        Assert.Contains(directives, d => Regex.IsMatch(d.line, @"^#SBATCH --array=0-[1-9]\d*$"));
        Assert.Contains(directives, d => d.line.StartsWith("#SBATCH --cpus-per-task=", StringComparison.Ordinal));
        Assert.Contains("PGPASSWORD", lines[firstCommand..].First(l => l.Contains("PGPASSWORD", StringComparison.Ordinal)));
    }
}
