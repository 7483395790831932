using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoPass.Build.Tests.Infrastructure;

namespace AutoPass.Build.Tests;

/// <summary>
/// The compiler changed between two runs on one project (CC=gcc, then CC=clang): CMake keeps the compiler cached in
/// an existing build tree whatever CC says, so every tree the second run uses must have been configured again for clang.
/// </summary>
public sealed class CompilerChangeTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void After_CC_changes_from_gcc_to_clang_every_build_tree_the_next_session_uses_is_clangs()
    {
        string source = _temp.CopyFrom(Repo.Fixture("sleeper"), "sleeper");
        string Request(string name) => Requests.Write(Directory.CreateDirectory(_temp[name]).FullName, new
        {
            sourceDir = source,
            outputDir = _temp["pinned"],
            intermediateDir = _temp["obj"],
            benchmarks = new[] { Requests.Benchmark("sleeper") },
            // The whole project: a build tree per candidate, the most trees a session uses (hot-file candidates are all
            // built in the baseline's tree, which is checked here too).
            settings = new { maxTrials = "2", agents = "builtin", tuneScope = "project" },
        });
        string builds = Path.Combine(_temp["obj"], "builds");
        string ledger = Path.Combine(_temp["obj"], "ledger.jsonl");

        var withGcc = Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = "gcc", ["CXX"] = "g++" }, "tune", "--request", Request("gcc"));
        Assert.True(withGcc.ExitCode == 0, withGcc.ToString());
        Assert.Equal("gcc", CompilerOfTree(Path.Combine(builds, "baseline")));
        var gccTrees = Directory.GetDirectories(builds).Where(d => File.Exists(Path.Combine(d, "CMakeCache.txt"))).ToHashSet();

        var withClang = Command.AutoPass(_temp.Path, new Dictionary<string, string?> { ["CC"] = "clang", ["CXX"] = "clang++" }, "tune", "--request", Request("clang"));
        Assert.True(withClang.ExitCode == 0, withClang.ToString());

        // The second session's ledger: from its session header on.
        var entries = File.ReadLines(ledger).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var second = entries.Skip(entries.FindLastIndex(e => e.GetProperty("type").GetString() == "session")).ToList();
        Assert.Equal("clang", second.Single(e => e.GetProperty("type").GetString() == "compiler").GetProperty("id").GetString());
        var used = second
            .Where(e => e.GetProperty("type").GetString() == "trial" && e.GetProperty("buildStatus").GetString() is "ok" or "reused" or "failed")
            .Select(e => TreeOf(builds, e.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToList()))
            .Append(Path.Combine(builds, "baseline"))
            .Distinct().ToList();
        Assert.Contains(used, gccTrees.Contains);
        foreach (var tree in used)
            Assert.True(CompilerOfTree(tree) == "clang", $"{tree} was built by {CompilerOfTree(tree)}\n{withClang.Output}");
    }

    /// <summary>The build tree of a candidate's flags, as the session names it (a digest of the flags).</summary>
    private static string TreeOf(string builds, IReadOnlyList<string> flags) =>
        Path.Combine(builds, flags.Count == 0 ? "baseline" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', flags))))[..12]);

    /// <summary>"gcc" or "clang": the C compiler in the tree's CMakeCache.txt, followed through its links.</summary>
    private static string CompilerOfTree(string tree)
    {
        string line = File.ReadLines(Path.Combine(tree, "CMakeCache.txt")).Single(l => l.StartsWith("CMAKE_C_COMPILER:", StringComparison.Ordinal));
        var path = new FileInfo(line[(line.IndexOf('=') + 1)..].Trim());
        string real = path.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path.FullName;
        return Path.GetFileName(real).Contains("clang", StringComparison.Ordinal) ? "clang"
            : Path.GetFileName(real).Contains("gcc", StringComparison.Ordinal) ? "gcc" : real;
    }
}
