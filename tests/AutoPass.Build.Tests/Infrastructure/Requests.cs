using System.Text.Json;

namespace AutoPass.Build.Tests.Infrastructure;

/// <summary>Writes request files the way the MSBuild task does, for tests that drive the program directly.</summary>
public static class Requests
{
    private static readonly JsonSerializerOptions CamelCase = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Write(string directory, object request)
    {
        string path = Path.Combine(directory, "request.json");
        File.WriteAllText(path, JsonSerializer.Serialize(request, CamelCase));
        return path;
    }

    public static object Benchmark(string target, string arguments = "", string timeout = "") => new { target, arguments, timeout };
}
