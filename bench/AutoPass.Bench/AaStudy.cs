using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoPass.Core.Build;
using AutoPass.Core.Measurement;
using AutoPass.Core.Processes;
using AutoPass.Core.Statistics;
using MathNet.Numerics.Statistics;

namespace AutoPass.Bench;

/// <summary>
/// The A/A figures that decide how a race may use the machine's second core: the same -O3 binary (two copies, so
/// two files as in a real pair) timed against itself, with no true difference, in three ways:
/// <list type="bullet">
/// <item>sequential: the session's pairs today, one run after the other on the last core, the other core idle;</item>
/// <item>sequential with a build: the same, while a C build (one job, on the first core) runs the whole time, as
/// building the next race's candidates during this race's runs would;</item>
/// <item>duet: both copies at once, one per core, the arm per core chosen at random (Bulej et al., ICPE'20).</item>
/// </list>
/// Each way reports the spread of the per-pair log ratios (robust SD), the 95% interval of the median ratio, how
/// often it excludes 1 by the 1% minimum effect (a false claim), and the wall seconds per pair. A way is only worth
/// adopting if its spread per second of machine time is no worse than the sequential pairs'.
/// </summary>
internal static class AaStudy
{
    private sealed record Way(string Name, List<double> LogRatios, double Seconds);

    public static async Task<string> RunAsync(string programs, string work, BenchOptions options)
    {
        var builder = new CMakeBuilder(new CMakeSettings(programs));
        var rows = new List<(string Program, Way Way)>();
        foreach (var program in options.Programs)
        {
            string dir = Path.Combine(work, program, "aa");
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            var o3 = await builder.BuildAsync(["-O3"], Path.Combine(dir, "o3"), [program], "A/A -O3", CancellationToken.None);
            if (!o3.Succeeded) throw new InvalidOperationException($"{program}: -O3 build failed\n{o3.Log}");
            string a = o3.Executables[program], b = a + ".twin";
            File.Copy(a, b, overwrite: true);
            var random = new Random(options.Seed);
            int pairs = options.IndependentPairs;

            rows.Add((program, await SequentialAsync("sequential", a, b, pairs, random)));
            using (var build = BackgroundBuild.Start(programs, Path.Combine(dir, "concurrent-build")))
                rows.Add((program, await SequentialAsync("sequential, build on the other core", a, b, pairs, random)));
            rows.Add((program, await DuetAsync(a, b, pairs, random)));
            foreach (var row in rows.Where(r => r.Program == program))
                Console.Error.WriteLine($"{program} {row.Way.Name}: {Describe(row.Way)}");
        }
        return Render(rows, options);
    }

    /// <summary>Pairs as the session runs them: one after the other, in random order, pinned to the last core.</summary>
    private static async Task<Way> SequentialAsync(string name, string a, string b, int pairs, Random random)
    {
        var runner = new ProgramRunner(pinToCore: true);
        await RunAsync(runner, a);
        await RunAsync(runner, b);
        var ratios = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < pairs; i++)
        {
            bool aFirst = random.Next(2) == 0;
            double first = await RunAsync(runner, aFirst ? a : b), second = await RunAsync(runner, aFirst ? b : a);
            double ta = aFirst ? first : second, tb = aFirst ? second : first;
            ratios.Add(Math.Log(tb / ta));
        }
        return new Way(name, ratios, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Both copies at once, each on its own core (taskset), which core runs which copy chosen at random.</summary>
    private static async Task<Way> DuetAsync(string a, string b, int pairs, Random random)
    {
        var runner = new ProgramRunner(pinToCore: false);
        var ratios = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < pairs; i++)
        {
            bool aOnZero = random.Next(2) == 0;
            var onZero = RunOnCoreAsync(runner, aOnZero ? a : b, 0);
            var onOne = RunOnCoreAsync(runner, aOnZero ? b : a, 1);
            double zero = await onZero, one = await onOne;
            double ta = aOnZero ? zero : one, tb = aOnZero ? one : zero;
            ratios.Add(Math.Log(tb / ta));
        }
        return new Way("duet (one copy per core)", ratios, clock.Elapsed.TotalSeconds);
    }

    private static async Task<double> RunAsync(ProgramRunner runner, string executable)
    {
        var sample = await runner.RunAsync(executable, [], Path.GetDirectoryName(executable)!, 0, TimeSpan.FromMinutes(5), CancellationToken.None);
        return sample.Succeeded ? sample.WallSeconds : throw new InvalidOperationException($"{executable} failed: {sample.FailureText}");
    }

    private static async Task<double> RunOnCoreAsync(ProgramRunner runner, string executable, int core)
    {
        string taskset = ExternalTool.FindOnPath("taskset") ?? throw new InvalidOperationException("taskset (util-linux) is needed for the duet");
        var sample = await runner.RunAsync(taskset, ["-c", core.ToString(CultureInfo.InvariantCulture), executable], Path.GetDirectoryName(executable)!, 0, TimeSpan.FromMinutes(5), CancellationToken.None);
        return sample.Succeeded ? sample.WallSeconds : throw new InvalidOperationException($"{executable} failed on core {core}: {sample.FailureText}");
    }

    private static double RobustSd(IReadOnlyList<double> values)
    {
        double median = ArrayStatistics.MedianInplace(values.ToArray());
        return 1.4826 * ArrayStatistics.MedianInplace(values.Select(v => Math.Abs(v - median)).ToArray());
    }

    private static (double Ratio, double Low, double High) MedianInterval(IReadOnlyList<double> logRatios)
    {
        var random = new Random(1);
        var medians = new double[2000];
        var resample = new double[logRatios.Count];
        for (int r = 0; r < medians.Length; r++)
        {
            for (int i = 0; i < resample.Length; i++) resample[i] = logRatios[random.Next(logRatios.Count)];
            medians[r] = ArrayStatistics.MedianInplace(resample);
        }
        Array.Sort(medians);
        return (Math.Exp(ArrayStatistics.MedianInplace(logRatios.ToArray())), Math.Exp(medians[(int)(0.025 * medians.Length)]), Math.Exp(medians[(int)(0.975 * medians.Length) - 1]));
    }

    private static string Describe(Way way)
    {
        var (ratio, low, high) = MedianInterval(way.LogRatios);
        double perPair = way.Seconds / way.LogRatios.Count;
        double sd = RobustSd(way.LogRatios);
        // Variance times seconds per pair: what a verdict of a given precision costs in machine time (lower is better).
        double cost = sd * sd * perPair * 1e4;
        bool falseClaim = low > 1.01 || high < 1 / 1.01;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {sd * 100:0.00}% | {ratio:0.0000} [{low:0.0000}, {high:0.0000}] | {(falseClaim ? "**yes**" : "no")} | {perPair:0.00} | {cost:0.00} |");
    }

    private static string Render(List<(string Program, Way Way)> rows, BenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"A/A: the same -O3 binary (two copies) against itself, {options.IndependentPairs} pairs per way, seed {options.Seed}. " +
            "Spread = robust SD of the per-pair log ratios; the interval is the median ratio's 95% bootstrap interval; " +
            "\"false claim\" = it excludes 1 by the 1% minimum effect; cost = spread² × seconds per pair × 10⁴ (machine time for a verdict of given precision; lower is better).");
        text.AppendLine();
        text.AppendLine("| program | way | spread | median ratio [95%] | false claim | s/pair | cost |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (program, way) in rows)
            text.AppendLine($"| {program} | {way.Name} {Describe(way)}");
        return text.ToString();
    }

    /// <summary>A C build that runs on core 0 until disposed: the bench programs, cleaned and built again, one job at a time.</summary>
    private sealed class BackgroundBuild : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private BackgroundBuild(string programs, string dir)
        {
            _loop = Task.Run(async () =>
            {
                string cmake = CMakeBuilder.CMakeExecutable, taskset = ExternalTool.FindOnPath("taskset")!;
                await ExternalTool.RunAsync(taskset, ["-c", "0", cmake, "-S", programs, "-B", dir, "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_FLAGS=-O3"], timeout: TimeSpan.FromMinutes(5));
                while (!_stop.IsCancellationRequested)
                {
                    await ExternalTool.RunAsync(taskset, ["-c", "0", cmake, "--build", dir, "--target", "clean"], timeout: TimeSpan.FromMinutes(5));
                    await ExternalTool.RunAsync(taskset, ["-c", "0", cmake, "--build", dir, "--parallel", "1"], timeout: TimeSpan.FromMinutes(5));
                }
            });
        }

        public static BackgroundBuild Start(string programs, string dir) => new(programs, dir);

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
        }
    }
}
