namespace AutoPass.Core.Policy;

/// <summary>Whether one flag (or one <c>-mllvm</c> pair, shown as "-mllvm -name=value") may reach a compiler command line, and why not.</summary>
internal sealed record PolicyDecision(string Flag, bool Allowed, string? Reason)
{
    public static PolicyDecision Allow(string flag) => new(flag, true, null);
    public static PolicyDecision Deny(string flag, string reason) => new(flag, false, reason);

    public override string ToString() => Allowed ? $"{Flag}: allowed" : $"{Flag}: denied ({Reason})";
}
