using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoPass.Build.Tasks
{
    /// <summary>
    /// Runs the autopass program (shipped in the package) out of MSBuild's process, so none of the engine's
    /// dependencies load into MSBuild. Writes the request file, then maps the program's output lines to
    /// MSBuild errors and warnings with their AP codes and help links (docs/diagnostics.md). Ctrl+C kills the program
    /// (ToolTask does that).
    /// </summary>
    public sealed class RunAutoPass : ToolTask
    {
        private static readonly string[] Commands = { "tune", "build", "verify", "recheck" };

        /// <summary>The program's diagnostic lines: "autopass : warning AP2004: ... (see https://...#ap2004)".</summary>
        private static readonly Regex DiagnosticLine = new Regex(@"^autopass : (?<kind>warning|error) (?<code>AP\d{4}): (?<message>.*)$", RegexOptions.CultureInvariant);

        /// <summary>docs/diagnostics.md at the project's home: from Directory.Build.props, as the engine has it.</summary>
        private static readonly string DiagnosticsPage = DiagnosticsPageOf(typeof(RunAutoPass).Assembly);

        /// <summary>tune, build, verify or recheck.</summary>
        [Required] public string Command { get; set; } = "";

        /// <summary>Path of autopass.dll.</summary>
        [Required] public string CliPath { get; set; } = "";

        /// <summary>Where to write the request file the program reads.</summary>
        [Required] public string RequestFile { get; set; } = "";

        public string DotnetHostPath { get; set; } = "";
        public ITaskItem[] Benchmarks { get; set; } = Array.Empty<ITaskItem>();
        public string SourceDir { get; set; } = "";
        public string OutputDir { get; set; } = "";
        public string IntermediateDir { get; set; } = "";
        public string BuildDir { get; set; } = "";

        /// <summary>
        /// The user settings, forwarded without interpretation: the item is the request key, Value the MSBuild
        /// property's text. The autopass program reads them through its settings table, which holds the defaults.
        /// </summary>
        public ITaskItem[] Settings { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>
        /// "1" when dotnet's terminal logger draws the build ($(_MSBUILDTLENABLED)). It shows a task's messages
        /// only at -v:d, and then only when the project ends; but it shows a test run's output lines at once and its
        /// status in the live line. A session is reported through those same events (the targets announce it the way
        /// test runs do, with _TestRunStart); every other logger gets the same lines as high-importance messages.
        /// </summary>
        public string TerminalLogger { get; set; } = "";

        private const string StatusPrefix = "AutoPass status: ";
        private const string ProgressPrefix = "AutoPass progress: ";
        private const string LinePrefix = "AutoPass: ";

        protected override string ToolName => "dotnet";

        protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

        protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

        protected override string GenerateFullPathToTool()
        {
            if (!string.IsNullOrEmpty(DotnetHostPath)) return DotnetHostPath;
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return string.IsNullOrEmpty(host) ? ToolName : host!;
        }

        protected override bool ValidateParameters()
        {
            if (Array.IndexOf(Commands, Command) < 0)
                LogDiagnostic("error", "AP1004", $"AutoPass: unknown command '{Command}'; expected tune, build, verify or recheck. (see {HelpLink("AP1004")})");
            if (!File.Exists(CliPath))
                LogDiagnostic("error", "AP1008",
                    $"AutoPass: the autopass program was not found at '{CliPath}'. Restore the AutoPass.Build package again, or set AutoPassCliPath to autopass.dll. (see {HelpLink("AP1008")})");
            return !Log.HasLoggedErrors && base.ValidateParameters();
        }

        public override bool Execute()
        {
            if (!ValidateParameters()) return false;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(RequestFile))!);
            File.WriteAllText(RequestFile, RequestJson(), new UTF8Encoding(false));
            return base.Execute();
        }

        protected override string GenerateCommandLineCommands()
        {
            var builder = new CommandLineBuilder();
            builder.AppendSwitch("exec");
            builder.AppendFileNameIfNotNull(CliPath);
            builder.AppendSwitch(Command);
            builder.AppendSwitchIfNotNull("--request ", RequestFile);
            // The engine stops when this MSBuild node ends, however it ends, instead of running on alone.
            using (var node = System.Diagnostics.Process.GetCurrentProcess())
                builder.AppendSwitchIfNotNull("--parent-pid ", node.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return builder.ToString();
        }

        protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
        {
            // Session milestones, progress and the summary show at normal verbosity; the rest is detail.
            bool live = TerminalLogger == "1";
            if (singleLine.StartsWith(StatusPrefix, StringComparison.Ordinal))
            {
                // The live status line only; the progress line after it says the same for logs.
                if (live) LiveTerminal.Status(BuildEngine, singleLine.Substring(StatusPrefix.Length), BuildEngine.ProjectFileOfTaskNode);
            }
            else if (singleLine.StartsWith(ProgressPrefix, StringComparison.Ordinal))
            {
                // Under the terminal logger the live status shows it; in logs it is a line like the others.
                Log.LogMessage(live ? MessageImportance.Low : MessageImportance.High, LinePrefix + singleLine.Substring(ProgressPrefix.Length));
            }
            else if (singleLine.StartsWith(LinePrefix, StringComparison.Ordinal))
            {
                if (live) LiveTerminal.Line(BuildEngine, singleLine);
                else Log.LogMessage(MessageImportance.High, singleLine);
            }
            else if (DiagnosticLine.Match(singleLine) is { Success: true } diagnostic)
                LogDiagnostic(diagnostic.Groups["kind"].Value, diagnostic.Groups["code"].Value, diagnostic.Groups["message"].Value);
            else
                base.LogEventsFromTextOutput(singleLine, singleLine.StartsWith("  ", StringComparison.Ordinal) ? MessageImportance.Low : messageImportance);
        }

        /// <summary>An error or warning with its code and its help link, which IDEs show on the code.</summary>
        private void LogDiagnostic(string kind, string code, string message)
        {
            if (kind == "error")
                Log.LogError(null, code, null, HelpLink(code), "autopass", 0, 0, 0, 0, "{0}", message);
            else
                Log.LogWarning(null, code, null, HelpLink(code), "autopass", 0, 0, 0, 0, "{0}", message);
        }

        internal static string HelpLink(string code) => DiagnosticsPage + "#" + code.ToLowerInvariant();

        private static string DiagnosticsPageOf(Assembly assembly)
        {
            foreach (AssemblyMetadataAttribute attribute in assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false))
                if (attribute.Key == "AutoPassDiagnosticsPage" && attribute.Value != null) return attribute.Value!;
            throw new InvalidOperationException("The task assembly has no AutoPassDiagnosticsPage metadata (Directory.Build.props).");
        }

        /// <summary>The request, as JSON, written by hand: the task stays free of third-party dependencies.</summary>
        internal string RequestJson()
        {
            var json = new JsonText();
            json.Begin();
            json.Property("sourceDir", SourceDir);
            json.Property("outputDir", OutputDir);
            json.Property("intermediateDir", IntermediateDir);
            json.Property("buildDir", BuildDir);
            var settings = new List<KeyValuePair<string, string>>();
            foreach (var item in Settings)
                settings.Add(new KeyValuePair<string, string>(item.ItemSpec, item.GetMetadata("Value")));
            json.Object("settings", settings);
            var benchmarks = new List<IDictionary<string, string>>();
            foreach (var item in Benchmarks)
                benchmarks.Add(new Dictionary<string, string>
                {
                    ["target"] = item.ItemSpec,
                    ["arguments"] = item.GetMetadata("Arguments"),
                    ["timeout"] = item.GetMetadata("Timeout"),
                    ["outputFiles"] = item.GetMetadata("OutputFiles"),
                    ["verify"] = item.GetMetadata("Verify"),
                });
            json.Array("benchmarks", benchmarks);
            return json.End();
        }
    }
}
