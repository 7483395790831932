namespace AutoPass.Core.Measurement.Noise;

/// <summary>
/// A noise warning as data: an AP2xxx code, what was seen and what it means for the smallest detectable
/// effect, and the MSBuild property that silences it. The session decides where it goes (IDiagnosticSink).
/// </summary>
internal sealed record NoiseWarning(string Code, string Message)
{
    public const string SilencingProperty = "AutoPassNoNoiseWarnings";

    /// <summary>The message with the silencing hint, as a build warning shows it.</summary>
    public override string ToString() => $"{Code}: {Message} (set {SilencingProperty}=true to silence)";
}
