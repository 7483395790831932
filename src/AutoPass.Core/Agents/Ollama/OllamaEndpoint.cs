using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Agents.Ollama;

/// <summary>Where the Ollama server is: AutoPassOllamaEndpoint, else OLLAMA_HOST, else the local default.</summary>
internal static class OllamaEndpoint
{
    public const string Default = "http://localhost:11434/";
    public const int DefaultPort = 11434;

    /// <param name="configured">The request's OllamaEndpoint (MSBuild AutoPassOllamaEndpoint).</param>
    /// <param name="ollamaHost">The OLLAMA_HOST environment variable; may be "host", "host:port", ":port" or a URL.</param>
    /// <param name="fallback">Where neither names a server; <see cref="Default"/> when null.</param>
    public static Uri Resolve(string? configured, string? ollamaHost, Uri? fallback = null)
    {
        string? text = !string.IsNullOrWhiteSpace(configured) ? configured : !string.IsNullOrWhiteSpace(ollamaHost) ? ollamaHost : null;
        return text is null ? fallback ?? new Uri(Default) : Parse(text.Trim());
    }

    private static Uri Parse(string text)
    {
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        string scheme = schemeEnd > 0 ? text[..schemeEnd] : "http";
        string rest = schemeEnd > 0 ? text[(schemeEnd + 3)..] : text;
        int slash = rest.IndexOf('/');
        string authority = slash >= 0 ? rest[..slash] : rest;
        string path = slash >= 0 ? rest[slash..] : "/";
        // ":11434" (port only) means localhost, as Ollama reads it.
        if (authority.StartsWith(':')) authority = "localhost" + authority;
        bool portGiven = authority.StartsWith('[') ? authority.Contains("]:", StringComparison.Ordinal) : authority.Contains(':');
        if (!portGiven && scheme == "http") authority += $":{DefaultPort}";
        if (!Uri.TryCreate($"{scheme}://{authority}{path}", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new AutoPassException(DiagnosticCode.InvalidSetting, $"'{text}' is not a valid Ollama endpoint.",
                "Set AutoPassOllamaEndpoint (or OLLAMA_HOST) to a URL such as http://localhost:11434.");
        var builder = new UriBuilder(uri);
        // 0.0.0.0 is a bind address for the server; a client reaches it on the loopback.
        if (builder.Host is "0.0.0.0" or "[::]") builder.Host = "127.0.0.1";
        builder.Path = builder.Path.TrimEnd('/') + "/";
        return builder.Uri;
    }
}
