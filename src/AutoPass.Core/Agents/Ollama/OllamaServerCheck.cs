using System.Text.Json;

namespace AutoPass.Core.Agents.Ollama;

/// <summary>What the server said at the start of a session.</summary>
/// <param name="Error">Why the server did not answer; null when it did.</param>
internal sealed record OllamaServerStatus(Uri Endpoint, string? Version, IReadOnlyList<string> Models, string? Error)
{
    public bool Reachable => Error is null;

    /// <summary>True when the model is installed; "name" without a tag means "name:latest", as in Ollama.</summary>
    public bool HasModel(string model)
    {
        string wanted = model.Contains(':') ? model : model + ":latest";
        return Models.Any(m => string.Equals(m, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(m, model, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Asks the server for its version (GET /api/version) and installed models (GET /api/tags).</summary>
internal static class OllamaServerCheck
{
    public static async Task<OllamaServerStatus> RunAsync(HttpClient http, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            using var version = await GetJsonAsync(http, new Uri(endpoint, "api/version"), timeout, cancellationToken);
            using var tags = await GetJsonAsync(http, new Uri(endpoint, "api/tags"), timeout, cancellationToken);
            var models = new List<string>();
            if (tags.RootElement.TryGetProperty("models", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var model in list.EnumerateArray())
                    foreach (var field in new[] { "name", "model" })
                        if (model.TryGetProperty(field, out var name) && name.GetString() is { Length: > 0 } text && !models.Contains(text))
                            models.Add(text);
            string? versionText = version.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
            return new OllamaServerStatus(endpoint, versionText, models, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new OllamaServerStatus(endpoint, null, [], $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException)
        {
            return new OllamaServerStatus(endpoint, null, [], e.Message);
        }
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var response = await http.GetAsync(uri, limit.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
        return await JsonDocument.ParseAsync(body, cancellationToken: limit.Token);
    }
}
