using System.Text.Json;

namespace AutoPass.Core.Agents.Model;

/// <summary>
/// The JSON schemas the stages ask for (sent as Ollama's "format"), and strict readers that turn a reply
/// into the stage's typed output or say exactly what is wrong (the text of the repair round).
/// </summary>
internal static class ReplySchemas
{
    /// <summary>Most items (hypotheses, proposals, lessons) taken from one reply; the stages ask for fewer, and the rest are ignored.</summary>
    public const int MaxItems = 16;

    /// <summary>Most flags in one item: a longer list is no experiment (and no lesson) anyone can attribute.</summary>
    public const int MaxFlagsPerItem = 32;

    public static readonly JsonElement Analyst = Parse("""
        {"type":"object","properties":{"hypotheses":{"type":"array","items":{"type":"object","properties":{
          "statement":{"type":"string"},"flags":{"type":"array","items":{"type":"string"}},"priority":{"type":"integer","minimum":1,"maximum":5}},
          "required":["statement","flags","priority"]}}},"required":["hypotheses"]}
        """);

    public static readonly JsonElement Proposer = Parse("""
        {"type":"object","properties":{"proposals":{"type":"array","items":{"type":"object","properties":{
          "flags":{"type":"array","items":{"type":"string"}},"rationale":{"type":"string"},"expected_effect":{"type":"string"}},
          "required":["flags","rationale","expected_effect"]}}},"required":["proposals"]}
        """);

    public static readonly JsonElement Diagnostician = Parse("""
        {"type":"object","properties":{"lessons":{"type":"array","items":{"type":"object","properties":{
          "kind":{"type":"string","enum":["helped","hurt","neutral","inconclusive","broken"]},
          "flags":{"type":"array","items":{"type":"string"}},"text":{"type":"string"}},
          "required":["kind","flags","text"]}}},"required":["lessons"]}
        """);

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static (AnalystReport? Value, string? Error) ReadAnalyst(JsonElement root)
    {
        var items = Items(root, "hypotheses", out var error);
        if (items is null) return (null, error);
        var result = new List<Hypothesis>();
        foreach (var (item, i) in items.Select((x, i) => (x, i)))
        {
            string at = $"hypotheses[{i}]";
            if (Text(item, "statement", at, out error) is not { } statement) return (null, error);
            if (Strings(item, "flags", at, out error) is not { } flags) return (null, error);
            if (!item.TryGetProperty("priority", out var p) || p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out int priority))
                return (null, $"{at}.priority must be an integer from 1 to 5");
            result.Add(new Hypothesis(statement, flags, Math.Clamp(priority, 1, 5)));
        }
        return (new AnalystReport(result), null);
    }

    public static (ProposerReport? Value, string? Error) ReadProposer(JsonElement root)
    {
        var items = Items(root, "proposals", out var error);
        if (items is null) return (null, error);
        var result = new List<Proposal>();
        foreach (var (item, i) in items.Select((x, i) => (x, i)))
        {
            string at = $"proposals[{i}]";
            if (Strings(item, "flags", at, out error) is not { } flags) return (null, error);
            if (Text(item, "rationale", at, out error) is not { } rationale) return (null, error);
            if (Text(item, "expected_effect", at, out error) is not { } effect) return (null, error);
            result.Add(new Proposal(flags, rationale, effect));
        }
        return (new ProposerReport(result), null);
    }

    public static (DiagnosticianReport? Value, string? Error) ReadDiagnostician(JsonElement root)
    {
        var items = Items(root, "lessons", out var error);
        if (items is null) return (null, error);
        var result = new List<Lesson>();
        foreach (var (item, i) in items.Select((x, i) => (x, i)))
        {
            string at = $"lessons[{i}]";
            if (Text(item, "kind", at, out error) is not { } kindText) return (null, error);
            if (!Enum.TryParse<LessonKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, out _))
                return (null, $"{at}.kind must be one of helped, hurt, neutral, inconclusive, broken");
            if (Strings(item, "flags", at, out error) is not { } flags) return (null, error);
            if (Text(item, "text", at, out error) is not { } text) return (null, error);
            result.Add(new Lesson(kind, flags, text));
        }
        return (new DiagnosticianReport(result), null);
    }

    private static List<JsonElement>? Items(JsonElement root, string name, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object) { error = "the reply must be a JSON object"; return null; }
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            error = $"the object must have an array property \"{name}\"";
            return null;
        }
        var items = array.EnumerateArray().Take(MaxItems).ToList();
        for (int i = 0; i < items.Count; i++)
            if (items[i].ValueKind != JsonValueKind.Object) { error = $"{name}[{i}] must be an object"; return null; }
        return items;
    }

    private static string? Text(JsonElement item, string name, string at, out string? error)
    {
        error = null;
        if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String) return value.GetString();
        error = $"{at}.{name} must be a string";
        return null;
    }

    private static List<string>? Strings(JsonElement item, string name, string at, out string? error)
    {
        error = null;
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            error = $"{at}.{name} must be an array of strings";
            return null;
        }
        if (value.GetArrayLength() > MaxFlagsPerItem)
        {
            error = $"{at}.{name} has {value.GetArrayLength()} entries; give at most {MaxFlagsPerItem}";
            return null;
        }
        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
