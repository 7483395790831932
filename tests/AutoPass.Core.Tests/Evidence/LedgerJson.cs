using System.Text.Json.Nodes;

namespace AutoPass.Core.Tests.Evidence;

/// <summary>A ledger's lines as raw JSON, for tests that pin down the wire format other tools read.</summary>
internal static class LedgerJson
{
    public static IEnumerable<(string Type, JsonObject Entry)> Read(string path) =>
        File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .Select(entry => (entry["type"]!.GetValue<string>(), entry));
}
