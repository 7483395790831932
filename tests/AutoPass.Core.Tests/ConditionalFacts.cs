using AutoPass.Core.Tests.Agents;

namespace AutoPass.Core.Tests;

/// <summary>A test of behaviour only Linux has (/proc, process groups, subreapers): reported as skipped elsewhere, never passed.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only: the behaviour under test exists only there.";
    }
}

/// <summary>A test that needs an address of this machine outside the loopback: reported as skipped on a machine without one.</summary>
public sealed class NonLoopbackAddressFactAttribute : FactAttribute
{
    public NonLoopbackAddressFactAttribute()
    {
        if (FakeModelServer.NonLoopbackAddress() is null) Skip = "This machine has no IPv4 address outside the loopback to listen on.";
    }
}

/// <summary>
/// A test against the real PostgreSQL that .ci/postgres starts (its connection string in AUTOPASS_TEST_PG): skipped
/// on a developer's machine without one, but run, and so failing, under CI=true, where a missing server is a broken setup.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.ConnectionString is null && !TestPostgres.InCi)
            Skip = "No PostgreSQL for the trial store's tests: run eval \"$(.ci/postgres start)\" to start one (AUTOPASS_TEST_PG), as .ci/run does.";
    }
}

/// <summary>The PostgreSQL of the trial store's tests.</summary>
public static class TestPostgres
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("AUTOPASS_TEST_PG") is { Length: > 0 } text ? text : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string; under CI without one, a failure that says what is missing.</summary>
    public static string Require() => ConnectionString
        ?? throw new InvalidOperationException("CI=true but AUTOPASS_TEST_PG is not set: .ci/run starts a PostgreSQL with .ci/postgres and exports it.");

    /// <summary>A campaign name no other test uses, so tests sharing the server stay apart.</summary>
    public static string NewCampaign(string what) => $"{what}-{Guid.NewGuid():N}";
}
