namespace AutoPass.Core.Pinning.Staleness;

/// <summary>One reason the pinned flags no longer hold: a diagnostic code (AP5002/AP5003, AP5007-AP5009), what is wrong, how to fix it.</summary>
/// <param name="Warning">Reported without failing verify (a pinned file that changed, AP5011).</param>
internal sealed record StalenessFinding(string Code, string Message, string Fix, bool Warning = false)
{
    public override string ToString() => $"{Code}: {Message} {Fix}";
}
