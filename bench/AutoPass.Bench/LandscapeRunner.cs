using System.Globalization;
using System.Text;
using AutoPass.Core.Build;
using AutoPass.Core.Search;
using AutoPass.Core.Statistics;

namespace AutoPass.Bench;

/// <summary>
/// The single-flag landscape behind the screening's prior list: each program built with -O3 plus one edit and
/// timed against -O3 in a few interleaved pairs. A map for deciding what to screen first, not a tuning result:
/// with few pairs, only the marked cells (95% interval clear of 1) are more than a hint.
/// </summary>
internal static class LandscapeRunner
{
    public static async Task<string> RunAsync(string programs, string work, BenchOptions options, IReadOnlyList<string> edits)
    {
        var builder = new CMakeBuilder(new CMakeSettings(programs));
        var cells = new Dictionary<(string Edit, string Program), string>();
        foreach (var program in options.Programs)
        {
            string dir = Path.Combine(work, program, "landscape");
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            var o3 = await builder.BuildAsync(["-O3"], Path.Combine(dir, "o3"), [program], "landscape -O3", CancellationToken.None);
            if (!o3.Succeeded) throw new InvalidOperationException($"{program}: -O3 build failed\n{o3.Log}");
            string o3Fingerprint = ExecutableFingerprint.Of(o3.Executables);
            for (int i = 0; i < edits.Count; i++)
            {
                var flags = edits[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var variant = await builder.BuildAsync(["-O3", .. flags], Path.Combine(dir, $"edit{i}"), [program], $"landscape {edits[i]}", CancellationToken.None);
                cells[(edits[i], program)] =
                    !variant.Succeeded ? "build failed"
                    : ExecutableFingerprint.Of(variant.Executables) == o3Fingerprint ? "same"
                    : Cell(await SuiteRunner.MeasureAgainstO3Async(programs, program, o3, variant, options.IndependentPairs, options.Seed + i));
                Console.Error.WriteLine($"{program} {edits[i]}: {cells[(edits[i], program)]}");
            }
        }
        return Render(cells, edits, options);
    }

    private static string Cell(SpeedupVerdict v) => string.Create(CultureInfo.InvariantCulture, $"{v.Speedup:0.00}") + v.Decision switch
    {
        SpeedupDecision.Faster => " ▲",
        SpeedupDecision.Slower => " ▼",
        _ => "",
    };

    private static string Render(Dictionary<(string Edit, string Program), string> cells, IReadOnlyList<string> edits, BenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"Speedup over -O3 of each single edit ({options.IndependentPairs} interleaved pairs, Hodges-Lehmann estimate; ▲/▼ = 95% interval clear of 1 by the 1% minimum effect; \"same\" = identical binaries, free to screen).");
        text.AppendLine();
        text.AppendLine($"| edit | {string.Join(" | ", options.Programs)} |");
        text.AppendLine($"|---|{string.Concat(options.Programs.Select(_ => "---|"))}");
        foreach (var edit in edits)
            text.AppendLine($"| `{edit}` | {string.Join(" | ", options.Programs.Select(p => cells[(edit, p)]))} |");
        return text.ToString();
    }
}
