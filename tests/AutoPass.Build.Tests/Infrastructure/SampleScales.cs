namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>Arguments that make the sample's programs run in tens of milliseconds, for tests (samples/kernels/README.md).</summary>
public static class SampleScales
{
    public static readonly Dictionary<string, string> Small = new()
    {
        ["matmul"] = "20",
        ["stencil"] = "60",
        ["pointer_chase"] = "8",
    };
}
