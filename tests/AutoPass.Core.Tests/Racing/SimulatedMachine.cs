using System.Security.Cryptography;
using AutoPass.Core.Measurement;
using AutoPass.Core.Processes;
using AutoPass.Core.Racing;
using AutoPass.Core.Statistics;
using AutoPass.Core.Tests.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Racing;

/// <summary>
/// A <see cref="NoisyMachine"/> behind the race loop's seam (<see cref="IArmRunner"/>): each arm is an empty file named
/// after it (the baseline, or an entrant with a known speedup), and a "run" of it takes a time drawn from the machine,
/// so the tests drive the real <see cref="RaceLoop"/> with known truth. The machine's state (its drift) goes by the
/// rounds it has run, across the races of one series.
/// </summary>
internal sealed class SimulatedMachine : IArmRunner, IDisposable
{
    private readonly NoisyMachine _machine;
    private readonly Random _random;
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-simulated-").FullName;
    private readonly Dictionary<string, double> _speedups = new(StringComparer.Ordinal);
    private readonly Func<int, double> _state;
    private readonly Func<int, double, double>? _speedupIn;
    private int _rounds;
    private bool _warmingUp;

    /// <param name="state">The machine's slowdown in a round (1-based, counted across races); by default the machine's step drift after <see cref="NoisyMachine.DriftAt"/> rounds.</param>
    /// <param name="speedupIn">
    /// An entrant's speedup in a round, given the one it was entered with: where the candidate's effect depends on the
    /// machine's state. Runs then report CPU time too: the wall time without the state's slowdown (the machine was busy).
    /// </param>
    public SimulatedMachine(NoisyMachine machine, int seed, Func<int, double>? state = null, Func<int, double, double>? speedupIn = null)
    {
        _machine = machine;
        _random = new Random(seed);
        _speedupIn = speedupIn;
        _state = state ?? (round => round > machine.DriftAt ? 1 + machine.Drift : 1);
        Baseline = Arm("baseline", 1.0);
    }

    public static readonly BenchmarkSpec Bench = new("bench", []);

    /// <summary>Rounds run so far, across races (a round starts with the baseline's run).</summary>
    public int Rounds => _rounds;

    /// <summary>Simulated seconds of every run so far: the machine's clock.</summary>
    public double Elapsed { get; private set; }

    /// <summary>The baseline's executable per benchmark target.</summary>
    public IReadOnlyDictionary<string, string> Baseline { get; }

    /// <summary>An entrant <paramref name="speedup"/> times faster than the baseline: its executable per benchmark target.</summary>
    public IReadOnlyDictionary<string, string> Entrant(int id, double speedup) => Arm($"entrant-{id}", speedup);

    /// <summary>Runs the real race loop on this machine, one benchmark, no output check.</summary>
    public Task<IReadOnlyList<RaceOutcome>> RaceAsync(IReadOnlyList<RaceEntrant> entrants, RacePlan plan, int seed, Func<int, bool>? mayCarry = null, Func<bool>? timeUp = null,
        Func<TimeSpan?>? timeLeft = null)
    {
        // The loop's first run of a race is the baseline's warm-up, which is no round.
        _warmingUp = true;
        return new RaceLoop(this, seed).RunAsync([Bench], Baseline, entrants, _dir, _ => TimeSpan.FromMinutes(1), plan, timeUp ?? (() => false), check: null,
            CancellationToken.None, mayCarry, timeLeft);
    }

    /// <summary>Where races on this machine run, for a <see cref="RaceCard{TEntry}"/> (its warm-up counts as a round of the machine's state).</summary>
    public RaceTrack Track => new(this, [Bench], Baseline, _dir, _ => TimeSpan.FromMinutes(1), Check: null);

    public Task<RunSample> RunAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory, int paddingBytes, TimeSpan timeout,
        CancellationToken cancellationToken, string? stdoutCopyPath = null)
    {
        string arm = File.ResolveLinkTarget(executable, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(executable);
        double speedup = _speedups[arm];
        if (Path.GetFileName(arm) == "baseline")
        {
            if (!_warmingUp) _rounds++;
            _warmingUp = false;
        }
        int round = Math.Max(_rounds, 1);
        if (_speedupIn is not null && Path.GetFileName(arm) != "baseline") speedup = _speedupIn(round, speedup);
        double state = _state(round), seconds = state / speedup * _machine.Run(_random);
        Elapsed += seconds;
        var nothing = new CapturedOutput(0, SHA256.HashData(ReadOnlySpan<byte>.Empty), [], [], overLimit: false);
        return Task.FromResult(new RunSample(0, nothing, "", seconds, _speedupIn is null ? double.NaN : seconds / state, TimedOut: false, Signal: null));
    }

    private Dictionary<string, string> Arm(string name, double speedup)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, []);
        _speedups[path] = speedup;
        return new Dictionary<string, string> { [Bench.Target] = path };
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The verdict an outcome carries, for a measured one.</summary>
    public static CombinedVerdict? VerdictOf(RaceOutcome outcome) => outcome is RaceOutcome.Measured m ? m.Result.Verdict : null;
}
