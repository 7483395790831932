namespace AutoPass.Core.Diagnostics;

/// <summary>
/// A failure the user can act on: a code, what is wrong, and how to fix it.
/// The CLI prints it in MSBuild's canonical error format so the build shows the code.
/// </summary>
internal sealed class AutoPassException(string code, string message, string fix) : Exception(message)
{
    public string Code { get; } = code;
    public string Fix { get; } = fix;

    public override string ToString() => $"{Code}: {Message} {Fix}";
}
