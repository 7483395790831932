using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace AutoPass.Core.Tests.Docs;

/// <summary>The examples of docs/examples/many-machines that start a campaign's workers on the engines teams run, read as their engines read them.</summary>
internal static partial class EngineExamples
{
    public const string Kubernetes = "kubernetes-indexed-job.yaml";
    public const string GitHubActions = "github-actions-workers.yml";
    public const string Slurm = "slurm-workers.sbatch";

    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoPass.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("AutoPass.Build.sln not found above " + AppContext.BaseDirectory);
    }

    public static string PathOf(string name) => Path.Combine(Root(), "docs", "examples", "many-machines", name);

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    /// <summary>A YAML document as plain objects: maps as dictionaries by key text, sequences as lists, scalars as text.</summary>
    public static object? Yaml(string text) => Plain(new DeserializerBuilder().Build().Deserialize<object>(text));

    private static object? Plain(object? node) => node switch
    {
        IDictionary<object, object> map => map.ToDictionary(e => (string)e.Key, e => Plain(e.Value)),
        IList<object> list => list.Select(Plain).ToList(),
        _ => node,
    };

    public static Dictionary<string, object?> Map(object? node, params string[] path)
    {
        foreach (string key in path) node = Assert.IsType<Dictionary<string, object?>>(node)[key];
        return Assert.IsType<Dictionary<string, object?>>(node);
    }

    public static List<object?> List(object? node) => Assert.IsType<List<object?>>(node);

    /// <summary>The MSBuild properties a text sets on a command line (-p:AutoPassX=...).</summary>
    public static IReadOnlyList<string> PropertiesSet(string text) =>
        [.. SetProperty().Matches(text).Select(m => m.Groups[1].Value).Distinct()];

    /// <summary>The properties of README.md's property table.</summary>
    public static IReadOnlySet<string> DocumentedProperties() =>
        File.ReadLines(Path.Combine(Root(), "README.md")).Select(line => TableRow().Match(line)).Where(m => m.Success)
            .SelectMany(m => m.Groups[1].Value.Split('/').Select(name => name.Replace("`", "").Trim())).ToHashSet();

    [GeneratedRegex(@"-p:(AutoPass\w+)=")]
    private static partial Regex SetProperty();

    [GeneratedRegex(@"^\|\s*(`AutoPass[^|]*)\|")]
    private static partial Regex TableRow();
}
