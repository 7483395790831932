using AutoPass.Core.Check;
using AutoPass.Core.Measurement;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Racing;

/// <summary>
/// Times many candidates against one baseline. Each round runs, per benchmark (benchmarks in random order), the
/// baseline and every entrant still in the race once each, in a fresh random order under one fresh environment
/// padding, all through paths of equal length; each entrant's pair of the round is its run and that round's
/// baseline run. So one baseline run serves every entrant and drift hits every arm of a round alike. After each
/// round, <see cref="RaceLooks"/> says who leaves and <see cref="RacePlan.CarriesOn"/> whether the last few go on in
/// the next race. An entrant's runs in the first round are its output check: one that computes something else leaves
/// before any of its pairs count, so no verdict ever stands on a run whose output was not checked.
/// A race of one entrant is a paired measurement of one candidate.
/// </summary>
/// <param name="runner">The machine: <see cref="ProgramRunner"/>, or a simulated one in the tests.</param>
internal sealed class RaceLoop(IArmRunner runner, int seed)
{
    private readonly Random _random = new(seed);

    /// <param name="baseline">The baseline's executable per benchmark target (or the reference's, head to head).</param>
    /// <param name="timeUp">Checked between rounds: when it says so, every entrant still in leaves as it stands.</param>
    /// <param name="timeLeft">
    /// The time left of the budget, if any: before the first cut, the race keeps only the entrants whose rounds can reach
    /// it at the pace of the last round (<see cref="RacePlan.EntrantsThatReachFirstCut"/>); the last entered leave untimed.
    /// </param>
    /// <param name="check">Checks each entrant's first-round runs against the baseline's output; null: they were checked before.</param>
    /// <param name="mayCarry">Whether an entrant may be carried over to the next race (null: none may); see <see cref="RacePlan.CarriesOn"/>.</param>
    /// <exception cref="BenchmarkRunFailedException">The baseline itself failed a run.</exception>
    public async Task<IReadOnlyList<RaceOutcome>> RunAsync(IReadOnlyList<BenchmarkSpec> benchmarks, IReadOnlyDictionary<string, string> baseline,
        IReadOnlyList<RaceEntrant> entrants, string workingDirectory, Func<BenchmarkSpec, TimeSpan> timeout, RacePlan plan, Func<bool> timeUp,
        CheckRun? check, CancellationToken ct, Func<int, bool>? mayCarry = null, Func<TimeSpan?>? timeLeft = null)
    {
        int arms = entrants.Count + 1;
        var executables = benchmarks.SelectMany(b => new[] { baseline[b.Target] }.Concat(entrants.Select(e => e.Executables[b.Target]))).ToList();
        var (scope, linked) = EqualLengthRunPaths.LinkAll(executables);
        using var _ = scope;
        var runPaths = linked.ToArray();
        string Real(int benchmark, int arm) => executables[benchmark * arms + arm];

        var looks = plan.Looks();
        var outcomes = new RaceOutcome?[entrants.Count];
        var recorders = entrants.Select(e => e.Carried?.ToArray() ?? benchmarks.Select(b => new PairRecorder(b.DisplayName)).ToArray()).ToArray();
        var active = new SortedSet<int>(Enumerable.Range(0, entrants.Count));
        var passedCheck = entrants.Select(e => e.Carried is not null || check is null).ToArray();

        async Task<RunSample> RunAsync(int benchmark, int arm, int pad, string? stdoutCopy = null)
        {
            var spec = benchmarks[benchmark];
            var sample = await runner.RunAsync(runPaths[benchmark * arms + arm], spec.Arguments, workingDirectory, pad, timeout(spec), ct, stdoutCopy);
            return sample.Succeeded ? sample.WithPositiveTime() : sample;
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

        void End(int entrant, RaceOutcome outcome)
        {
            outcomes[entrant] = outcome;
            active.Remove(entrant);
        }

        RaceOutcome Measured(int entrant, CombinedVerdict verdict, RaceExit exit) => new RaceOutcome.Measured(
            new MeasurementResult(recorders[entrant].Select(r => r.ToMeasurement(verdict.Benchmarks.First(v => v.Name == r.Benchmark).Verdict)).ToList(), verdict), exit);

        for (int round = 1; round <= plan.MaxRounds && active.Count > 0; round++)
        {
            if (timeUp()) break;
            double roundSeconds = 0;
            int armsRun = 0;
            foreach (int b in Enumerable.Range(0, benchmarks.Count).OrderBy(_ => _random.Next()).ToList())
            {
                int pad = _random.Next(PairedMeasurement.MaxPaddingBytes + 1);
                double? load = MachineLoad.Current();
                var order = new[] { 0 }.Concat(active.Select(e => e + 1)).OrderBy(_ => _random.Next()).ToList();
                var samples = new Dictionary<int, RunSample>();
                armsRun += order.Count;
                foreach (int arm in order)
                {
                    if (arm > 0 && !active.Contains(arm - 1)) continue;
                    bool checkRun = round == 1 && arm > 0 && !passedCheck[arm - 1];
                    var sample = await RunAsync(b, arm, pad, checkRun ? check!.Prepare(benchmarks[b]) : null);
                    if (!sample.Succeeded && arm == 0) throw new BenchmarkRunFailedException(benchmarks[b], Real(b, 0), sample);
                    if (!sample.Succeeded) End(arm - 1, new RaceOutcome.Failed(new BenchmarkRunFailedException(benchmarks[b], Real(b, arm), sample)));
                    else if (checkRun && await check!.DiffersAsync(benchmarks[b], sample, ct) is { } wrong) End(arm - 1, new RaceOutcome.WrongOutput(wrong));
                    else samples[arm] = sample;
                    roundSeconds += sample.WallSeconds;
                }
                int baselineAt = order.IndexOf(0);
                foreach (int entrant in active)
                    recorders[entrant][b].Add(samples[0], samples[entrant + 1], candidateFirst: order.IndexOf(entrant + 1) < baselineAt, pad, load);
            }
            if (round == 1) foreach (int entrant in active) passedCheck[entrant] = true;
            if (plan.FixedPairs is not null) continue;
            if (active.Count > 0 && timeLeft?.Invoke() is { } left)
            {
                // A busy machine's rounds may run slower than the calibration's: keep the first entered that can still be timed.
                int fit = RacePlan.EntrantsThatReachFirstCut(left, roundSeconds / armsRun * benchmarks.Count, active.Min(e => recorders[e][0].Count));
                foreach (int entrant in active.Where(e => recorders[e][0].Count < RaceLooks.FewestPairs).Reverse().Take(active.Count - fit).ToList())
                    End(entrant, new RaceOutcome.Untimed());
            }
            foreach (var leave in looks.Look(Samples())) End(leave.Entrant, Measured(leave.Entrant, leave.Verdict, leave.Exit));
            if (RacePlan.CarriesOn(active.Count, entrants.Count, mayCarry, active))
                foreach (int entrant in active.ToList()) End(entrant, new RaceOutcome.Carried(recorders[entrant]));
        }
        if (plan.FixedPairs is not null)
            foreach (int entrant in active.ToList())
                End(entrant, Measured(entrant, CombinedSpeedup.Estimate(recorders[entrant].Select(r => r.Samples()).ToList(), plan.Schedule), RaceExit.Unfinished));
        if (active.Count > 0)
        {
            // Time ran out before the first screening cut: too few pairs to say anything, so these entrants were not
            // measured. The others leave undecided with the estimate they have, as a cut entrant does.
            foreach (int entrant in active.Where(e => recorders[e][0].Count < RaceLooks.FewestPairs).ToList()) active.Remove(entrant);
            foreach (var leave in looks.Stop(Samples())) End(leave.Entrant, Measured(leave.Entrant, leave.Verdict, leave.Exit));
        }
        return outcomes.Select((o, e) => o ?? (passedCheck[e] ? new RaceOutcome.Untimed() : new RaceOutcome.Unchecked())).ToList();
    }
}
