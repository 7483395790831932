using System.Diagnostics;
using System.Text.Json;
using AutoPass.Core.Evidence;
using Microsoft.Extensions.AI;

namespace AutoPass.Core.Agents.Model;

/// <summary>
/// One structured question to the model: ask for JSON against a schema (temperature 0, fixed seed), read it
/// strictly, and on an invalid reply send the error back once. Every call is kept as an <see cref="AgentAttempt"/>.
/// </summary>
internal sealed class ModelConversation(IChatClient client, ModelSettings settings)
{
    public ModelSettings Settings { get; } = settings;

    /// <summary>
    /// Longest reply read: a stage's structured answer is a few KiB, so a longer one is a model running on (or not
    /// a model at all) and is an invalid reply, not something to keep in memory, the ledger and the next prompt.
    /// </summary>
    public const int MaxReplyChars = 64 * 1024;

    public async Task<StageReply<T>> AskAsync<T>(string schemaName, string system, string user, JsonElement schema,
        Func<JsonElement, (T? Value, string? Error)> read, CancellationToken cancellationToken) where T : class
    {
        var options = new ChatOptions
        {
            ModelId = Settings.Model,
            Temperature = 0,
            Seed = Settings.Seed,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, schemaName),
        };
        var messages = new List<ChatMessage> { new(ChatRole.System, system), new(ChatRole.User, user) };
        var attempts = new List<AgentAttempt>();
        string? lastError = null;
        for (int round = 0; round < 2; round++)
        {
            string prompt = PromptText.Render(messages);
            var clock = Stopwatch.StartNew();
            string reply;
            try
            {
                reply = await CallAsync(messages, options, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                attempts.Add(new AgentAttempt(prompt, null, e.Message, Unavailable: true, clock.Elapsed.TotalSeconds));
                return new StageReply<T>(null, attempts, StageFailure.Unavailable, e.Message);
            }
            var (value, error) = reply.Length > MaxReplyChars
                ? (null, $"the reply is {reply.Length} characters long, more than the {MaxReplyChars} allowed")
                : Read(reply, read);
            reply = PromptText.Bound(reply, MaxReplyChars);
            attempts.Add(new AgentAttempt(prompt, reply, error, Unavailable: false, clock.Elapsed.TotalSeconds));
            if (value is not null) return new StageReply<T>(value, attempts);
            lastError = error;
            // The repair round: the model sees its reply and exactly what was wrong with it.
            messages.Add(new ChatMessage(ChatRole.Assistant, reply));
            messages.Add(new ChatMessage(ChatRole.User,
                $"That reply is not valid: {error}. Reply again with only a JSON object that matches the schema, nothing else."));
        }
        return new StageReply<T>(null, attempts, StageFailure.InvalidReply, lastError);
    }

    private async Task<string> CallAsync(List<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        if (!Settings.Stream) return (await client.GetResponseAsync(messages, options, cancellationToken)).Text;
        var response = await client.GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);
        return response.Text;
    }

    private static (T? Value, string? Error) Read<T>(string reply, Func<JsonElement, (T? Value, string? Error)> read) where T : class
    {
        string text = StripFence(reply.Trim());
        if (text.Length == 0) return (null, "the reply was empty");
        try
        {
            using var document = JsonDocument.Parse(text);
            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            return (null, $"invalid JSON ({e.Message})");
        }
    }

    /// <summary>Models often wrap JSON in a markdown fence even when asked not to.</summary>
    private static string StripFence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal)) return text;
        int firstNewline = text.IndexOf('\n');
        int lastFence = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstNewline > 0 && lastFence > firstNewline ? text[(firstNewline + 1)..lastFence].Trim() : text;
    }
}
