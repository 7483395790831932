using System.Text.Json;
using OllamaSharp;
using OllamaSharp.Models.Exceptions;

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

/// <summary>
/// Asks the server for its version (GET /api/version) and installed models (GET /api/tags) through OllamaSharp's
/// own calls, on the client the chat then uses; each call has its own time limit.
/// </summary>
internal static class OllamaServerCheck
{
    public static async Task<OllamaServerStatus> RunAsync(OllamaApiClient ollama, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            string? version = await WithinAsync(timeout, ollama.GetVersionAsync, cancellationToken);
            var installed = await WithinAsync(timeout, ollama.ListLocalModelsAsync, cancellationToken);
            var models = new List<string>();
            foreach (var model in installed ?? [])
                foreach (var name in new[] { model.Name, model.ModelName })
                    if (name is { Length: > 0 } && !models.Contains(name)) models.Add(name);
            return new OllamaServerStatus(endpoint, string.IsNullOrEmpty(version) ? null : version, models, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new OllamaServerStatus(endpoint, null, [], $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException or OllamaException)
        {
            return new OllamaServerStatus(endpoint, null, [], e.Message);
        }
    }

    private static async Task<T> WithinAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        return await call(limit.Token);
    }
}
