using System.Text;

namespace AutoPass.Core.Workload;

/// <summary>Splits an argument string the way a POSIX shell would for words and quotes (no expansion).</summary>
internal static class CommandLineSplitter
{
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
