using AutoPass.Core.Policy;
using NuGet.Versioning;

namespace AutoPass.Core.Pinning.Staleness;

/// <summary>
/// What a lock file pins about the compiler: its id, the versions the flags hold for, the flags, and the policy
/// opt-ins they were tuned under (none when null).
/// </summary>
internal sealed record PinnedToolchain(string CompilerId, VersionRange VersionRange, IReadOnlyList<string> Flags, PolicyOptions? Policy = null);
