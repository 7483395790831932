using AutoPass.Core.Diagnostics;

namespace AutoPass.Cli;

/// <summary>
/// Writes diagnostics as lines the MSBuild task understands: canonical "autopass : warning APxxxx: ..."
/// for warnings and errors, each ending with the link to its code's entry in docs/diagnostics.md, "AutoPass: ..." for
/// lines worth showing at normal verbosity, the rest as detail.
/// For the task (<paramref name="forTask"/>), progress is two lines: "AutoPass status: ..." for the terminal
/// logger's live status line and "AutoPass progress: ..." for logs; run by a person, it is an "AutoPass: ..." line.
/// </summary>
internal sealed class ConsoleDiagnosticSink(TextWriter output, bool forTask = false) : IDiagnosticSink
{
    public const string StatusPrefix = "AutoPass status: ";
    public const string ProgressPrefix = "AutoPass progress: ";

    private readonly Lock _gate = new();

    public void Warning(string code, string message) => Write($"autopass : warning {code}: {message}{SeeAlso(code)}");
    public void Info(string message) => Write("AutoPass: " + message);
    public void Detail(string message) => Write("  " + message);
    public void Progress(string status, string line)
    {
        if (!forTask)
        {
            Info(line);
            return;
        }
        Write(StatusPrefix + status);
        Write(ProgressPrefix + line);
    }
    public void Error(string code, string message) => Write($"autopass : error {code}: {message}{SeeAlso(code)}");

    private static string SeeAlso(string code) => $" (see {DiagnosticCode.HelpLink(code)})";

    private void Write(string line)
    {
        lock (_gate)
        {
            // One diagnostic, one line: MSBuild parses line by line.
            output.WriteLine(line.Replace('\r', ' ').Replace('\n', ' '));
            output.Flush();
        }
    }
}
