using System.Text.Json;
using System.Text.Json.Nodes;
using AutoPass.Core.Pinning;
using AutoPass.Core.Workload;

namespace AutoPass.Cli.CommandLine;

/// <summary>
/// --json: one object on standard output, for scripts and CI: the command, its exit code, where the files are and
/// the pinned lock file (flags, speedup with its interval, per benchmark), or the AP error with its fix.
/// </summary>
internal static class JsonResult
{
    // Relaxed escaping: the text is read by people and scripts, not embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, string command, int exitCode, TuningRequest request)
    {
        var paths = ArtifactPaths.For(request);
        // The set of the request's machine class, when it has one of its own.
        string setDir = PinnedMachineClasses.SetDirOf(request.OutputDir, request.MachineClass);
        string lockPath = Path.Combine(setDir, PinnedFiles.LockName);
        var result = new JsonObject
        {
            ["command"] = command,
            ["exitCode"] = exitCode,
            ["files"] = new JsonObject
            {
                ["props"] = Path.Combine(setDir, PinnedFiles.PropsName),
                ["cmake"] = Path.Combine(setDir, PinnedFiles.CMakeName),
                ["lock"] = lockPath,
                ["ledger"] = paths.Ledger,
                ["report"] = paths.Report,
                ["summary"] = paths.Summary,
            },
        };
        if (File.Exists(lockPath)) result["lock"] = JsonNode.Parse(File.ReadAllText(lockPath));
        output.WriteLine(result.ToJsonString(Indented));
    }

    public static void WriteError(TextWriter output, string command, string code, string message, string fix) =>
        output.WriteLine(new JsonObject
        {
            ["command"] = command,
            ["exitCode"] = code == AutoPass.Core.Diagnostics.DiagnosticCode.Cancelled ? CommandDispatcher.Cancelled : CommandDispatcher.Failed,
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["fix"] = fix },
        }.ToJsonString(Indented));
}
