using NuGet.Versioning;

namespace AutoPass.Core.Pinning.Staleness;

/// <summary>What a lock file pins about the compiler: its id, the versions the flags hold for, and the flags.</summary>
internal sealed record PinnedToolchain(string CompilerId, VersionRange VersionRange, IReadOnlyList<string> Flags);
