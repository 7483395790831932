using System.Text;
using Microsoft.Extensions.AI;

namespace AutoPass.Core.Agents.Model;

/// <summary>The messages of one model call as plain text, for the ledger and for replay's "same question?" check.</summary>
internal static class PromptText
{
    public static string Render(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            if (text.Length > 0) text.Append("\n\n");
            text.Append(message.Role.Value).Append(": ").Append(message.Text);
        }
        return text.ToString();
    }

    /// <summary>Cuts untrusted or long text to a bound so it fits the model's context.</summary>
    public static string Bound(string text, int maxChars) =>
        text.Length <= maxChars ? text : text[..maxChars] + $"\n(cut: {text.Length - maxChars} more characters)";
}
