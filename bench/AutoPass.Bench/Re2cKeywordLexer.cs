using System.Text;

namespace AutoPass.Bench;

/// <summary>
/// The re2c row's benchmark: re2c compiling a lexer spec for a language of many keywords (the words of the generated
/// input), the job a user of re2c runs on every build of their own lexer. Its output is the generated C code, which is
/// deterministic, so any difference from the baseline's is a miscompile.
/// </summary>
internal static class Re2cKeywordLexer
{
    public const string SpecName = "keywords.re";

    /// <summary>How many distinct words become keyword rules: sized so that one re2c run takes about a quarter second.</summary>
    public const int Keywords = 1500;

    /// <summary>re2c's other front ends (re2go, re2rust, …), each a build of all its sources again: left out of the build.</summary>
    public static readonly string[] OtherLanguages = ["D", "GO", "HS", "JAVA", "JS", "OCAML", "PY", "RUST", "SWIFT", "V", "ZIG"];

    /// <summary>re2c's arguments: no date or version in the output (so it compares across builds), the spec to stdout.</summary>
    public static IReadOnlyList<string> Arguments(string spec) => ["--no-generation-date", "--no-version", "-W", "-i", spec];

    /// <summary>Writes the spec beside <paramref name="input"/> from the input's first distinct words (unless it is there); returns its path.</summary>
    public static string WriteBeside(string input)
    {
        string path = Path.Combine(Path.GetDirectoryName(input) ?? "", SpecName);
        string spec = Spec(DistinctWords(File.ReadAllBytes(input), Keywords));
        if (File.Exists(path) && File.ReadAllText(path) == spec) return path;
        File.WriteAllText(path + ".tmp", spec);
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    /// <summary>Lower-case ASCII words of three letters or more, in order of first appearance.</summary>
    internal static IReadOnlyList<string> DistinctWords(byte[] text, int count)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (byte b in text.Append((byte)' '))
        {
            if (b is >= (byte)'a' and <= (byte)'z') { word.Append((char)b); continue; }
            if (word.Length >= 3 && seen.Add(word.ToString())) words.Add(word.ToString());
            word.Clear();
            if (words.Count == count) break;
        }
        return words;
    }

    /// <summary>
    /// One rule a keyword (case-insensitive: re2c's single quotes), identifiers, numbers with an optional exponent and
    /// the rest: a DFA of thousands of states for re2c to determinize, minimize and render.
    /// </summary>
    internal static string Spec(IReadOnlyList<string> keywords)
    {
        var text = new StringBuilder();
        text.AppendLine("// Written by AutoPass's bench: a lexer for the keywords of its generated input, for re2c to compile.");
        text.AppendLine("int lex(const char *YYCURSOR)");
        text.AppendLine("{");
        text.AppendLine("    const char *YYMARKER;");
        text.AppendLine("    /*!re2c");
        text.AppendLine("        re2c:yyfill:enable = 0;");
        text.AppendLine("        re2c:define:YYCTYPE = char;");
        for (int i = 0; i < keywords.Count; i++) text.AppendLine($"        '{keywords[i]}' {{ return {i + 1}; }}");
        text.AppendLine("        [a-zA-Z_][a-zA-Z_0-9]* { return -1; }");
        text.AppendLine("        [0-9]+ ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? { return -2; }");
        text.AppendLine("        * { return 0; }");
        text.AppendLine("    */");
        text.AppendLine("}");
        return text.ToString();
    }
}
