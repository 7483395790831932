using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Measurement;

/// <summary>
/// One candidate in a race: its executable for each benchmark target, and when it was carried over from an earlier
/// race, its pairs from there (one recorder per benchmark, in the race's benchmark order; its output was checked there).
/// </summary>
internal sealed record RaceEntrant(IReadOnlyDictionary<string, string> Executables, IReadOnlyList<PairRecorder>? Carried = null);

/// <summary>
/// How an entrant's race ended: measured (with why it left), one of its runs failed, its first runs computed something
/// else than the baseline (<see cref="WrongOutput"/>), or it left undecided with few others still running, to go on in
/// the next race with these pairs (<see cref="Carried"/>). <see cref="OutputChecked"/>: its first round passed the output check.
/// </summary>
internal sealed record RaceOutcome(MeasurementResult? Result, RaceExit? Exit, BenchmarkRunFailedException? Failure,
    string? WrongOutput = null, bool OutputChecked = false, IReadOnlyList<PairRecorder>? Carried = null);

/// <summary>The output check of an entrant's first-round runs (the check itself lives above measurement: Check.CheckRun).</summary>
internal interface IRaceOutputCheck
{
    /// <summary>Readies the working directory for the benchmark's check run; returns where its stdout is to be copied, or null.</summary>
    string? Prepare(BenchmarkSpec benchmark);

    /// <summary>Null when the run (which succeeded) computed what the baseline did; else how its output differs.</summary>
    Task<string?> DiffersAsync(BenchmarkSpec benchmark, RunSample run, CancellationToken ct);
}

/// <summary>
/// Times many candidates against one baseline. Each round runs, per benchmark (benchmarks in random order), the
/// baseline and every entrant still in the race once each, in a fresh random order under one fresh environment
/// padding, all through paths of equal length; each entrant's pair of the round is its run and that round's
/// baseline run. So one baseline run serves every entrant, drift hits every arm of a round alike, and each entrant's
/// samples are paired exactly as <see cref="PairedMeasurement"/>'s are. After each round, <see cref="RaceLooks"/>
/// says who leaves. An entrant's runs in the first round are its output check: one that computes something else
/// leaves before any of its pairs count, so no verdict ever stands on a run whose output was not checked.
/// </summary>
internal sealed class RaceMeasurement(ProgramRunner runner, int seed)
{
    /// <summary>How few of a race's entrants may be left running for them to go on in the next race instead: a quarter (one of a small race).</summary>
    public static int CarriedAtMost(int entrants) => Math.Max(1, entrants / 4);

    private readonly Random _random = new(seed);

    /// <param name="baseline">The baseline's executable per benchmark target.</param>
    /// <param name="timeUp">Checked between rounds: when it says so, every entrant still in leaves as it stands.</param>
    /// <param name="check">Checks each entrant's first-round runs against the baseline's output.</param>
    /// <param name="mayCarry">
    /// Whether an entrant may be carried over to the next race (null: none may). Asked, after a round, of each undecided
    /// entrant when no more than <see cref="CarriedAtMost"/> of the race's are still running: a lone entrant pays a
    /// baseline run for each of its own, where among a full race's entrants it pays an eighth of one.
    /// </param>
    /// <exception cref="BenchmarkRunFailedException">The baseline itself failed a run.</exception>
    public async Task<IReadOnlyList<RaceOutcome>> RunAsync(IReadOnlyList<BenchmarkSpec> benchmarks, IReadOnlyDictionary<string, string> baseline,
        IReadOnlyList<RaceEntrant> entrants, string workingDirectory, Func<BenchmarkSpec, TimeSpan> timeout, RaceLooks looks, Func<bool> timeUp,
        IRaceOutputCheck check, CancellationToken ct, Func<int, bool>? mayCarry = null)
    {
        int arms = entrants.Count + 1;
        var executables = benchmarks.SelectMany(b => new[] { baseline[b.Target] }.Concat(entrants.Select(e => e.Executables[b.Target]))).ToList();
        var (scope, linked) = EqualLengthRunPaths.LinkAll(executables);
        using var _ = scope;
        var runPaths = linked.ToArray();
        string Real(int benchmark, int arm) => executables[benchmark * arms + arm];

        var outcomes = new RaceOutcome?[entrants.Count];
        var recorders = entrants.Select(e => e.Carried?.ToArray() ?? benchmarks.Select(b => new PairRecorder(b.DisplayName)).ToArray()).ToArray();
        var active = new SortedSet<int>(Enumerable.Range(0, entrants.Count));
        var passedCheck = entrants.Select(e => e.Carried is not null).ToArray();

        async Task<RunSample> RunAsync(int benchmark, int arm, int pad, string? stdoutCopy = null)
        {
            var spec = benchmarks[benchmark];
            var sample = await runner.RunAsync(runPaths[benchmark * arms + arm], spec.Arguments, workingDirectory, pad, timeout(spec), ct, stdoutCopy);
            return sample.Succeeded ? sample.WithPositiveTime() : sample;
        }

        void Fail(int entrant, int benchmark, RunSample sample)
        {
            outcomes[entrant] = new RaceOutcome(null, null, new BenchmarkRunFailedException(benchmarks[benchmark], Real(benchmark, entrant + 1), sample));
            active.Remove(entrant);
        }

        // Warm-up: the baseline once (an entrant's binaries were just written, so its first round finds them in the page
        // cache, as a warm-up would). A program that finds its files through its own path (argv[0]) runs where it was built.
        for (int b = 0; b < benchmarks.Count; b++)
        {
            var first = await RunAsync(b, 0, 0);
            if (!first.Succeeded && runPaths[b * arms] != Real(b, 0))
            {
                for (int arm = 0; arm < arms; arm++) runPaths[b * arms + arm] = Real(b, arm);
                first = await RunAsync(b, 0, 0);
            }
            if (!first.Succeeded) throw new BenchmarkRunFailedException(benchmarks[b], Real(b, 0), first);
        }

        IReadOnlyDictionary<int, IReadOnlyList<BenchmarkSamples>> Samples() =>
            active.ToDictionary(e => e, e => (IReadOnlyList<BenchmarkSamples>)recorders[e].Select(r => r.Samples()).ToList());

        void Leave(RaceLeave leave)
        {
            var measurements = recorders[leave.Entrant]
                .Select(r => r.ToMeasurement(leave.Verdict.Benchmarks.First(v => v.Name == r.Benchmark).Verdict)).ToList();
            outcomes[leave.Entrant] = new RaceOutcome(new MeasurementResult(measurements, leave.Verdict), leave.Exit, null, OutputChecked: true);
            active.Remove(leave.Entrant);
        }

        for (int round = 1; round <= looks.Test.Options.MaxPairs && active.Count > 0; round++)
        {
            if (timeUp()) break;
            foreach (int b in Enumerable.Range(0, benchmarks.Count).OrderBy(_ => _random.Next()).ToList())
            {
                int pad = _random.Next(PairedMeasurement.MaxPaddingBytes + 1);
                var order = new[] { 0 }.Concat(active.Select(e => e + 1)).OrderBy(_ => _random.Next()).ToList();
                var samples = new Dictionary<int, RunSample>();
                foreach (int arm in order)
                {
                    if (arm > 0 && !active.Contains(arm - 1)) continue;
                    bool checkRun = round == 1 && arm > 0 && !passedCheck[arm - 1];
                    var sample = await RunAsync(b, arm, pad, checkRun ? check.Prepare(benchmarks[b]) : null);
                    if (!sample.Succeeded && arm == 0) throw new BenchmarkRunFailedException(benchmarks[b], Real(b, 0), sample);
                    if (!sample.Succeeded) Fail(arm - 1, b, sample);
                    else if (checkRun && await check.DiffersAsync(benchmarks[b], sample, ct) is { } wrong)
                    {
                        outcomes[arm - 1] = new RaceOutcome(null, null, null, WrongOutput: wrong);
                        active.Remove(arm - 1);
                    }
                    else samples[arm] = sample;
                }
                int baselineAt = order.IndexOf(0);
                foreach (int entrant in active)
                    recorders[entrant][b].Add(samples[0], samples[entrant + 1], candidateFirst: order.IndexOf(entrant + 1) < baselineAt, pad);
            }
            if (round == 1) foreach (int entrant in active) passedCheck[entrant] = true;
            foreach (var leave in looks.Look(Samples())) Leave(leave);
            if (mayCarry is not null && active.Count > 0 && active.Count < entrants.Count && active.Count <= CarriedAtMost(entrants.Count) && active.All(mayCarry))
            {
                foreach (int entrant in active) outcomes[entrant] = new RaceOutcome(null, null, null, OutputChecked: true, Carried: recorders[entrant]);
                active.Clear();
            }
        }
        if (active.Count > 0)
        {
            // Time ran out before the first screening cut: too few pairs to say anything, so these entrants were not
            // measured. The others leave undecided with the estimate they have, as a cut entrant does.
            foreach (int entrant in active.Where(e => recorders[e][0].Count < RaceLooks.FewestPairs).ToList()) active.Remove(entrant);
            foreach (var leave in looks.Stop(Samples())) Leave(leave);
        }
        return outcomes.Select((o, e) => o ?? new RaceOutcome(null, null, null, OutputChecked: passedCheck[e])).ToList();
    }
}
