using System.CommandLine;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Cli.CommandLine;

/// <summary>
/// What a command works on: a request file (what the MSBuild task writes), or the CMake project and its
/// benchmarks given directly (--source, --benchmark), for users without MSBuild; settings as options on top.
/// </summary>
internal sealed class RequestOptions
{
    public Option<string> Request { get; } = new("--request") { Description = "a request file as the MSBuild task writes it (JSON); replaces --source, --benchmark and the directories", HelpName = "file" };
    public Option<string> Source { get; } = new("--source") { Description = "the CMake project: the directory of its top-level CMakeLists.txt (default: the current directory)", HelpName = "dir" };
    public Option<string[]> Benchmark { get; } = new("--benchmark")
    {
        Description = "a CMake executable target to time, with the arguments it runs with after a colon, e.g. matmul:\"-n 200\" (repeat for each benchmark)",
        HelpName = "target[:args]",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string> Output { get; } = new("--output") { Description = "where the pinned files go, checked in (default: <source>/autopass)", HelpName = "dir" };
    public Option<string> Intermediate { get; } = new("--intermediate") { Description = "scratch space: build trees, ledger, report (default: <source>/obj/autopass)", HelpName = "dir" };
    public Option<string> BuildDir { get; } = new("--build-dir") { Description = "the build tree of 'build' (default: <intermediate>/build)", HelpName = "dir" };

    public SettingOptions Settings { get; } = new();

    /// <summary>Adds the options a command reads: all of them for tune and replay, fewer for the others.</summary>
    /// <param name="alsoSettings">Options of settings a command reads beyond the toolchain's, when it does not read them all.</param>
    public void AddTo(Command command, bool benchmarks, bool settings, bool buildDir = false, IReadOnlyCollection<string>? alsoSettings = null)
    {
        command.Options.Add(Request);
        command.Options.Add(Source);
        if (benchmarks) command.Options.Add(Benchmark);
        command.Options.Add(Output);
        command.Options.Add(Intermediate);
        if (buildDir) command.Options.Add(BuildDir);
        if (settings)
            foreach (var option in Settings.All) command.Options.Add(option);
        else
            // Verify and build read only the toolchain: the compilers and the generator.
            foreach (var option in Settings.All.Where(o => o.Name is "--c-compiler" or "--cxx-compiler" or "--generator" || alsoSettings?.Contains(o.Name) == true)) command.Options.Add(option);
    }

    public TuningRequest ToRequest(ParseResult result)
    {
        TuningRequest request;
        if (result.GetValue(Request) is { } requestPath)
        {
            if (new Option[] { Source, Benchmark, Output, Intermediate }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } clash)
                throw new AutoPassException(DiagnosticCode.InvalidSetting, $"Both --request and {clash.Name} were given.",
                    "Give the project in the request file, or on the command line without --request.");
            var file = RequestFile.Load(requestPath);
            request = file.ToTuningRequest(Path.GetDirectoryName(Path.GetFullPath(requestPath))!);
        }
        else
        {
            string source = Path.GetFullPath(result.GetValue(Source) ?? ".");
            request = new TuningRequest
            {
                SourceDir = source,
                OutputDir = Path.GetFullPath(result.GetValue(Output) ?? Path.Combine(source, "autopass")),
                IntermediateDir = Path.GetFullPath(result.GetValue(Intermediate) ?? Path.Combine(source, "obj", "autopass")),
                Benchmarks = (result.GetValue(Benchmark) ?? []).Select(ParseBenchmark).ToList(),
            };
        }
        try { return TuningSettings.Apply(request, Settings.Given(result)); }
        catch (AutoPassException e) when (e.Code == DiagnosticCode.InvalidSetting)
        {
            throw new AutoPassException(e.Code, SettingOptions.Rename(e.Message), e.Fix);
        }
    }

    /// <summary>The build tree 'build' uses: --build-dir, the request file's buildDir, or null for the default.</summary>
    public string? BuildDirectory(ParseResult result)
    {
        if (result.GetValue(BuildDir) is { } dir) return Path.GetFullPath(dir);
        if (result.GetValue(Request) is { } requestPath && RequestFile.Load(requestPath).BuildDir is { Length: > 0 } fromFile)
            return Path.GetFullPath(fromFile, Path.GetDirectoryName(Path.GetFullPath(requestPath))!);
        return null;
    }

    /// <summary>"matmul" or "matmul:-n 200": the target, then its arguments as a shell would split them.</summary>
    internal static BenchmarkSpec ParseBenchmark(string text)
    {
        int colon = text.IndexOf(':');
        string target = (colon < 0 ? text : text[..colon]).Trim();
        string arguments = colon < 0 ? "" : text[(colon + 1)..];
        if (target.Length == 0)
            throw new AutoPassException(DiagnosticCode.InvalidSetting, $"--benchmark '{text}' names no target.", "Write --benchmark <cmake target>[:<arguments>], e.g. --benchmark matmul:200.");
        try { return new BenchmarkSpec(target, CommandLineSplitter.Split(arguments)); }
        catch (FormatException e)
        {
            throw new AutoPassException(DiagnosticCode.InvalidSetting, $"The arguments of --benchmark '{text}' cannot be split: {e.Message}", "Close every quote in the arguments.");
        }
    }
}
