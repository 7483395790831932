namespace AutoPass.Core.Agents.Model;

/// <summary>How the model stages call the model: which model, a fixed seed (temperature is always 0), streamed or not.</summary>
internal sealed record ModelSettings(string Model, long Seed, bool Stream = false);
