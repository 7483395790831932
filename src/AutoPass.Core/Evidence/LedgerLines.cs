using System.Text.Json.Serialization;
using AutoPass.Core.Measurement.Noise;
using AutoPass.Core.Statistics;

namespace AutoPass.Core.Evidence;

/// <summary>
/// The ledger's schema, every line type declared here: one JSON object per line, its kind in "type".
/// Only the session writes lines; everything else reads them back as these records.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SessionLine), "session")]
[JsonDerivedType(typeof(CompilerLine), "compiler")]
[JsonDerivedType(typeof(NoiseLine), "noise")]
[JsonDerivedType(typeof(HotFilesLine), "hotFiles")]
[JsonDerivedType(typeof(EvidenceLine), "evidence")]
[JsonDerivedType(typeof(TrialRecord), "trial")]
[JsonDerivedType(typeof(AgentExchange), "agent")]
[JsonDerivedType(typeof(PinnedLine), "pinned")]
internal abstract record LedgerLine
{
    /// <summary>
    /// Version of this schema, written in every session header. 2: typed lines (enums spelled as before),
    /// the header's schema and compiler-independent resume key.
    /// </summary>
    public const int SchemaVersion = 2;

    /// <summary>When the session wrote the line (UTC), so the report can plot progress over time. Absent in older ledgers.</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>Starts a session: what was asked, so a later run can tell whether it may resume this one.</summary>
internal sealed record SessionLine : LedgerLine
{
    public int Schema { get; init; } = SchemaVersion;
    public required string RequestKey { get; init; }
    public required string Tool { get; init; }
    public required string SourceDir { get; init; }
    public required IReadOnlyList<string> BaselineFlags { get; init; }
    public required IReadOnlyList<string> Benchmarks { get; init; }
    public int MaxTrials { get; init; }
    public double MaxMinutes { get; init; }
    public int Seed { get; init; }

    /// <summary>Why a session started afresh instead of resuming, when it says so.</summary>
    public string? Note { get; init; }

    /// <summary>The rules its search proposed by (<see cref="Search.SearchDriver.CurrentRules"/>), so a replay proposes alike; absent in older ledgers: 1.</summary>
    public int? SearchRules { get; init; }
}

/// <summary>The compiler the baseline was built with, as probed.</summary>
internal sealed record CompilerLine(string Id, string Version, string Path, string VersionText, int Options) : LedgerLine;

/// <summary>What the A/A calibration showed per benchmark, and the minimum effect the session claims with.</summary>
internal sealed record NoiseLine(double MinEffect, IReadOnlyList<BenchmarkNoise> Profiles) : LedgerLine;

internal sealed record BenchmarkNoise(string Benchmark, NoiseProfile Profile);

/// <summary>The hot files a session's candidates changed (AutoPassTuneScope=hot), hottest first; no such line: the whole project.</summary>
/// <param name="BuildSlots">How many candidates were built at once, each in a hot tree of its own: the search proposed them in groups of this size (1 in older ledgers).</param>
internal sealed record HotFilesLine(IReadOnlyList<HotSourceFile> Files, int BuildSlots = 1) : LedgerLine;

/// <summary>The program evidence the agent stages read: where the time goes, what the compiler said.</summary>
internal sealed record EvidenceLine(IReadOnlyList<HotFunction> HotFunctions, string RemarkDigest) : LedgerLine;

/// <summary>Ends a session: what was pinned. A session without one was interrupted and may be resumed.</summary>
internal sealed record PinnedLine(string Outcome, IReadOnlyList<string> Flags, SpeedupVerdict? Speedup, string Reason) : LedgerLine;
