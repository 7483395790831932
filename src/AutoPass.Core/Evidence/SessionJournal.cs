using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Evidence;

/// <summary>
/// Finds an interrupted session in a ledger: the last "session" line with no "pinned" line after it, for
/// the same request. Its finished trials let a new run continue instead of starting over.
/// </summary>
public static class SessionJournal
{
    /// <summary>What makes two runs the same experiment: project, benchmarks, baseline, seed, policy and budget-independent settings.</summary>
    public static string RequestKey(TuningRequest request)
    {
        var identity = string.Join('\n',
            request.SourceDir,
            string.Join(' ', request.BaselineFlags),
            string.Join(';', request.Benchmarks.Select(b => b.Target + " " + string.Join(' ', b.Arguments))),
            request.Seed, request.MinEffect, request.Confidence, request.AllowUnsafeMath, request.AllowMachineSpecific,
            request.CCompiler ?? "", request.CxxCompiler ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    /// <summary>The finished trials of the interrupted session with this key, or null when there is none to resume.</summary>
    public static IReadOnlyList<TrialRecord>? InterruptedTrials(string ledgerPath, string requestKey)
    {
        if (!File.Exists(ledgerPath)) return null;
        List<TrialRecord>? current = null;
        foreach (var (type, entry) in Ledger.Read(ledgerPath))
        {
            switch (type)
            {
                case "session":
                    current = entry["requestKey"]?.GetValue<string>() == requestKey ? [] : null;
                    break;
                case "pinned":
                    current = null;
                    break;
                case "trial" when current is not null:
                    current.Add(entry.Deserialize<TrialRecord>(Ledger.JsonOptions)!);
                    break;
            }
        }
        // Without its calibration a session had not really started.
        return current is { Count: > 0 } && current[0].Phase == TrialPhase.Calibration ? current : null;
    }
}
