using System.Text.Json.Serialization;

namespace AutoPass.Core.Check;

/// <summary>Whether a candidate computed what the baseline computed.</summary>
internal enum OutputCheckStatus
{
    /// <summary>Same stdout and output files as the baseline (or its verify command passed).</summary>
    Equal,

    /// <summary>It ran, but computed something else.</summary>
    Differs,

    /// <summary>It died of a signal.</summary>
    Crashed,

    /// <summary>It exited with a non-zero code.</summary>
    Failed,

    /// <summary>It ran past its time limit.</summary>
    Timeout,

    /// <summary>Never run: rejected, or its build failed.</summary>
    [JsonStringEnumMemberName("not-run")]
    NotRun,
}
