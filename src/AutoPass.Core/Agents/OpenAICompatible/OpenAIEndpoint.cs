using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Agents.OpenAICompatible;

/// <summary>
/// Where the OpenAI-compatible server is (AutoPassAgentEndpoint): its API base, the URL the client appends
/// chat/completions and models to. A URL without a path means its /v1, where llama.cpp, vLLM and LM Studio serve.
/// </summary>
internal static class OpenAIEndpoint
{
    /// <summary>llama.cpp's llama-server on its default port.</summary>
    public const string Default = "http://localhost:8080/v1";

    public static Uri Resolve(string? configured)
    {
        string text = string.IsNullOrWhiteSpace(configured) ? Default : configured.Trim();
        string withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new AutoPassException(DiagnosticCode.InvalidSetting, $"'{text}' is not a valid OpenAI-compatible endpoint.",
                "Set AutoPassAgentEndpoint to the server's API URL, such as http://localhost:8080/v1.");
        var builder = new UriBuilder(uri);
        // 0.0.0.0 is a bind address for the server; a client reaches it on the loopback.
        if (builder.Host is "0.0.0.0" or "[::]") builder.Host = "127.0.0.1";
        string path = builder.Path.TrimEnd('/');
        builder.Path = path.Length == 0 ? "/v1" : path;
        return builder.Uri;
    }
}
