namespace AutoPass.Core.Agents.Ollama;

/// <summary>The model did not answer: timeout, refused connection, or server errors after the retries.</summary>
internal sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
