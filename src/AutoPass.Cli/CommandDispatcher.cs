using AutoPass.Core.Diagnostics;
using AutoPass.Core.Workload;

namespace AutoPass.Cli;

/// <summary>Parses the command line and runs one command.</summary>
internal static class CommandDispatcher
{
    public const string Usage =
        "usage: autopass <command> --request <request.json>\n" +
        "  tune     run a tuning session and pin the winning flags\n" +
        "  build    configure and build the CMake project with the pinned flags\n" +
        "  verify   fail when the pinned flags are stale for the installed compiler\n" +
        "  report   draw report.html again from the last session's ledger and the lock file\n" +
        "  replay   re-run the last session's decisions from its ledger, without building, measuring or a model\n";

    /// <summary>The usage and every setting, from the settings table: request key, MSBuild property, default, help.</summary>
    public static string Help { get; } = Usage +
        "\nsettings (the request's \"settings\" object; from MSBuild, the property named):\n" +
        string.Concat(TuningSettings.All.Select(s => $"  {s.Key,-21} {s.Property,-29} {s.Help} (default {s.DefaultText})\n"));

    public static async Task<int> RunAsync(string[] args, ConsoleDiagnosticSink sink, CancellationToken ct)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.Write(Help);
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] is "--version")
        {
            Console.Out.WriteLine(AutoPass.Core.Workload.ToolVersion.Current);
            return 0;
        }

        string command = args[0];
        string? requestPath = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--request" && i + 1 < args.Length) requestPath = args[++i];
            else throw new AutoPassException(DiagnosticCode.InvalidSetting, $"Unknown argument '{args[i]}'.", Usage.Replace('\n', ' '));
        }
        if (requestPath is null)
            throw new AutoPassException(DiagnosticCode.InvalidSetting, "No --request file was given.", Usage.Replace('\n', ' '));

        var file = RequestFile.Load(requestPath);
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(requestPath))!;
        return command switch
        {
            "tune" => await TuneCommand.RunAsync(file.ToTuningRequest(baseDir), sink, ct),
            "build" => await BuildCommand.RunAsync(file.ToTuningRequest(baseDir), file.BuildDir is { Length: > 0 } dir ? Path.GetFullPath(dir, baseDir) : null, sink, ct),
            "verify" => await VerifyCommand.RunAsync(file.ToTuningRequest(baseDir), sink, ct),
            "report" => ReportCommand.Run(file.ToTuningRequest(baseDir), sink),
            "replay" => await ReplayCommand.RunAsync(file.ToTuningRequest(baseDir), sink, ct),
            _ => throw new AutoPassException(DiagnosticCode.InvalidSetting, $"Unknown command '{command}'.", Usage.Replace('\n', ' ')),
        };
    }
}
