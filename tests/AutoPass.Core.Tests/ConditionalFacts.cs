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
