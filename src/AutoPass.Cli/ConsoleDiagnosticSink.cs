using AutoPass.Core.Diagnostics;

namespace AutoPass.Cli;

/// <summary>
/// Writes diagnostics as lines the MSBuild task understands: canonical "autopass : warning APxxxx: ..."
/// for warnings and errors, each ending with the link to its code's entry in docs/diagnostics.md, "AutoPass: ..." for
/// lines worth showing at normal verbosity, the rest as detail.
/// </summary>
internal sealed class ConsoleDiagnosticSink(TextWriter output) : IDiagnosticSink
{
    private readonly Lock _gate = new();

    public void Warning(string code, string message) => Write($"autopass : warning {code}: {message}{SeeAlso(code)}");
    public void Info(string message) => Write("AutoPass: " + message);
    public void Detail(string message) => Write("  " + message);
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
