using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AutoPass.Core.Diagnostics;
using AutoPass.Core.Processes;

namespace AutoPass.Core.Measurement;

/// <summary>
/// Counts instructions executed with valgrind's cachegrind (no cache simulation, the fastest mode). Counts
/// repeat almost exactly whatever else the machine does, but they are a proxy for time, not time.
/// </summary>
internal sealed partial class InstructionCounter(string valgrind)
{
    public string Valgrind { get; } = valgrind;

    public const string ProxyLabel = "instructions executed under valgrind, a proxy for time";

    public static InstructionCounter Find() =>
        new(ExternalTool.FindOnPath("valgrind") ?? throw new AutoPassException(DiagnosticCode.ValgrindMissing,
            "The instruction-count objective needs valgrind, which is not on PATH.",
            "Install valgrind (for example 'apt-get install valgrind'), or set AutoPassObjective=time."));

    public static IEnumerable<string> Arguments(string executable) =>
        ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", executable];

    /// <summary>The instruction count from valgrind's summary, and the program's own stderr without valgrind's lines.</summary>
    public static (long? Instructions, string ProgramStderr) Parse(string stderr)
    {
        long? count = null;
        var rest = new StringBuilder();
        foreach (var line in stderr.Split('\n'))
        {
            var m = Summary().Match(line);
            if (m.Success) count = long.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
            if (!line.StartsWith("==", StringComparison.Ordinal) && !line.StartsWith("--", StringComparison.Ordinal) && line.Length > 0)
                rest.AppendLine(line);
        }
        return (count, rest.ToString());
    }

    [GeneratedRegex(@"^==\d+==\s+I\s+refs:\s+([\d,]+)")]
    private static partial Regex Summary();
}
