using System.Text;
using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Workload;

/// <summary>Splits an argument string the way a POSIX shell would for words and quotes (no expansion).</summary>
internal static class CommandLineSplitter
{
    /// <summary>
    /// Splits a command line a person wrote (a benchmark's Arguments or Verify): an unclosed quote is their input
    /// error (AP1004) naming where it is and the fix, not a crash.
    /// </summary>
    /// <param name="where">What the text is, for the message: "The Arguments of benchmark 'matmul'".</param>
    public static IReadOnlyList<string> SplitSetting(string text, string where)
    {
        try { return Split(text); }
        catch (FormatException)
        {
            throw new AutoPassException(DiagnosticCode.InvalidSetting, $"{where} has an unclosed quote: {text}",
                "Close the quote, or put a backslash before a quote that is part of an argument (\\\" or \\').");
        }
    }

    /// <exception cref="FormatException">A quote is not closed.</exception>
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < text.Length && text[i + 1] is '"' or '\\') current.Append(text[++i]);
                else current.Append(c);
            }
            else if (c is '"' or '\'') { quote = c; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
            }
            else if (c == '\\' && i + 1 < text.Length) { current.Append(text[++i]); inWord = true; }
            else { current.Append(c); inWord = true; }
        }
        if (quote != '\0') throw new FormatException($"Unclosed quote in '{text}'.");
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
