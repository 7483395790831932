using System;
using System.Collections.Generic;
using Microsoft.Build.Framework;

namespace AutoPass.Build.Tasks
{
    /// <summary>
    /// What dotnet's terminal logger shows while a task runs. It hides high-importance messages at its default
    /// verbosity (dotnet/msbuild#9667) and has no progress API for tasks yet, but it prints a test run's output lines
    /// as they come ("TLTESTOUTPUT") and shows a test's result in the project's live status line ("TLTESTPASSED"),
    /// for projects that ran _TestRunStart. Both are ordinary high-importance messages to every other logger
    /// (binary and file logs), with the same text. Separate from <see cref="RunAutoPass"/> so MSBuild versions
    /// without ExtendedBuildMessageEventArgs never load it: the targets use it only under the terminal logger.
    /// </summary>
    internal static class LiveTerminal
    {
        /// <summary>A line printed at once, above the live status.</summary>
        public static void Line(IBuildEngine engine, string line) =>
            engine.LogMessageEvent(new ExtendedBuildMessageEventArgs("TLTESTOUTPUT", line, null, "AutoPass", MessageImportance.High));

        /// <summary>
        /// The terminal logger draws at most 120 columns and drops a status that does not fit whole, so it is cut here
        /// to what fits beside the project's name and the elapsed time.
        /// </summary>
        private const int StatusColumns = 120;

        /// <summary>The project's live status line: each replaces the one before.</summary>
        public static void Status(IBuildEngine engine, string status, string projectFile)
        {
            // Indentation, project name, "AutoPass", the elapsed time "(1234.5s)" and the spaces between them.
            int room = StatusColumns - 2 - System.IO.Path.GetFileNameWithoutExtension(projectFile ?? "").Length - 1 - "AutoPass".Length - 1 - 12;
            if (status.Length > room) status = status.Substring(0, Math.Max(room - 1, 0)) + "…";
            var message = new ExtendedBuildMessageEventArgs("TLTESTPASSED", "AutoPass: " + status, null, "AutoPass", MessageImportance.High)
            {
                ExtendedMetadata = new Dictionary<string, string?> { ["localizedResult"] = "AutoPass", ["displayName"] = status },
            };
            engine.LogMessageEvent(message);
        }
    }
}
