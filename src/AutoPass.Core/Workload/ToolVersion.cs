namespace AutoPass.Core.Workload;

/// <summary>This AutoPass's version, as the lock file and the ledger record it.</summary>
internal static class ToolVersion
{
    public static string Current =>
        typeof(ToolVersion).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
