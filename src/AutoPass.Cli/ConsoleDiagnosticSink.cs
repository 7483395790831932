using AutoPass.Core.Diagnostics;

namespace AutoPass.Cli;

/// <summary>
/// Writes diagnostics as lines the MSBuild task understands: canonical "autopass : warning APxxxx: ..."
/// for warnings and errors, "AutoPass: ..." for lines worth showing at normal verbosity, "AutoPass progress: ..."
/// for where the session is (the task shows it as the terminal logger's live status line), the rest as detail.
/// </summary>
internal sealed class ConsoleDiagnosticSink(TextWriter output) : IDiagnosticSink
{
    public const string ProgressPrefix = "AutoPass progress: ";

    private readonly Lock _gate = new();

    public void Warning(string code, string message) => Write($"autopass : warning {code}: {message}");
    public void Info(string message) => Write("AutoPass: " + message);
    public void Detail(string message) => Write("  " + message);
    public void Progress(string message) => Write(ProgressPrefix + message);
    public void Error(string code, string message) => Write($"autopass : error {code}: {message}");

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
