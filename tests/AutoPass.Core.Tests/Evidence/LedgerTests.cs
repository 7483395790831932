using AutoPass.Core.Check;
using AutoPass.Core.Evidence;
using AutoPass.Core.Statistics;
using AutoPass.Core.Workload;

namespace AutoPass.Core.Tests.Evidence;

[Trait("Category", "Real")]
public sealed class LedgerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-ledger-").FullName;
    private string LedgerPath => Path.Combine(_dir, "ledger.jsonl");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TuningRequest Request = new()
    {
        SourceDir = "/src/project", OutputDir = "/src/project/autopass", IntermediateDir = "/src/project/obj/autopass",
        Benchmarks = [new BenchmarkSpec("kernel", ["--size", "64"])],
    };

    private static TrialRecord Trial(int number, TrialPhase phase, OutputCheckStatus check = OutputCheckStatus.Equal) => new()
    {
        Trial = number, Phase = phase, Flags = number == 0 ? [] : ["-funroll-loops"], Origin = "test",
        BuildStatus = BuildStatus.Ok, BinaryHash = "abc", OutputCheck = check,
        Verdict = new SpeedupVerdict(1.05, 1.01, 1.09, 0.95, SpeedupDecision.Faster, 30),
    };

    private static SessionLine Header(string key) => new()
    {
        RequestKey = key, Tool = ToolVersion.Current, SourceDir = "/src/project", BaselineFlags = ["-O3"], Benchmarks = ["kernel"],
    };

    [Fact]
    public void EveryLineType_RoundTrips_AndKeepsItsWireSpelling()
    {
        LedgerLine[] written =
        [
            Header("k1"),
            new CompilerLine("gcc", "12.2.0", "/usr/bin/gcc", "gcc (Debian 12.2.0)", 250),
            Trial(0, TrialPhase.Calibration),
            Trial(1, TrialPhase.Screen, OutputCheckStatus.NotRun),
            new EvidenceLine([new HotFunction("kernel", 0.9)], "vectorized 2 loops"),
            new AgentExchange { Round = 1, Stage = "proposer", Implementation = "builtin" },
            new PinnedLine("improved", ["-funroll-loops"], null, "faster"),
        ];
        using (var ledger = new Ledger(LedgerPath)) ledger.AppendAll(written);

        var read = Ledger.Read(LedgerPath);
        Assert.Equal(0, read.SkippedLines);
        Assert.Equal(written.Select(l => l.GetType()), read.Lines.Select(l => l.GetType()));
        Assert.Equal(written[1], read.Lines[1]);
        Assert.Equal(LedgerLine.SchemaVersion, Assert.IsType<SessionLine>(read.Lines[0]).Schema);
        var raw = LedgerJson.Read(LedgerPath).ToList();
        Assert.Equal(["session", "compiler", "trial", "trial", "evidence", "agent", "pinned"], raw.Select(r => r.Type));
        Assert.Equal("not-run", raw[3].Entry["outputCheck"]!.GetValue<string>());
        Assert.Equal("screen", raw[3].Entry["phase"]!.GetValue<string>());
        Assert.Equal("ok", raw[3].Entry["buildStatus"]!.GetValue<string>());
    }

    [Fact]
    public void A_line_torn_by_a_kill_is_skipped_and_the_next_append_starts_on_a_fresh_line()
    {
        using (var ledger = new Ledger(LedgerPath))
        {
            ledger.Append(Header("k1"));
            ledger.Append(Trial(0, TrialPhase.Calibration));
        }
        // What a kill in the middle of a write leaves: half a line, no newline.
        File.AppendAllText(LedgerPath, "{\"type\":\"trial\",\"trial\":1,\"phase\":\"scr");

        using (var ledger = new Ledger(LedgerPath)) ledger.Append(Trial(2, TrialPhase.Screen));

        var read = Ledger.Read(LedgerPath);
        Assert.Equal(1, read.SkippedLines);
        Assert.Equal([0, 2], read.Lines.OfType<TrialRecord>().Select(t => t.Trial));
        var resumed = SessionJournal.Find(read.Lines, "k1");
        Assert.NotNull(resumed);
        Assert.Equal([0, 2], resumed.Trials.Select(t => t.Trial));
    }

    [Fact]
    public void Foreign_lines_of_the_wrong_shape_are_skipped_and_counted_not_thrown()
    {
        using (var ledger = new Ledger(LedgerPath))
        {
            ledger.Append(Header("k1"));
            ledger.Append(Trial(0, TrialPhase.Calibration));
        }
        File.AppendAllLines(LedgerPath,
        [
            "{\"type\":\"trial\",\"trial\":\"one\",\"phase\":\"screen\"}",
            "{\"type\":\"telemetry\",\"cpu\":3}",
            "[1,2,3]",
            "{\"no\":\"type\"}",
        ]);
        using (var ledger = new Ledger(LedgerPath)) ledger.Append(Trial(1, TrialPhase.Screen));

        var read = Ledger.Read(LedgerPath);
        Assert.Equal(4, read.SkippedLines);
        Assert.Equal([0, 1], SessionJournal.Find(read.Lines, "k1")!.Trials.Select(t => t.Trial));
    }

    [Fact]
    public void A_pinned_session_or_another_request_is_not_resumed()
    {
        LedgerLine[] lines = [Header("k1"), Trial(0, TrialPhase.Calibration), Trial(1, TrialPhase.Screen)];
        Assert.NotNull(SessionJournal.Find(lines, "k1"));
        Assert.Null(SessionJournal.Find(lines, "k2"));
        Assert.Null(SessionJournal.Find([.. lines, new PinnedLine("baseline", [], null, "none")], "k1"));
        Assert.Null(SessionJournal.Find([Header("k1") with { Schema = 1 }, .. lines[1..]], "k1"));
        // A worker's session: its trials are the campaign's, in the trial store, and a worker started again joins afresh.
        Assert.Null(SessionJournal.Find([Header("k1") with { Note = SessionJournal.WorkerNote }, .. lines[1..]], "k1"));
    }

    [Fact]
    public void The_resume_key_changes_with_the_objective_the_output_check_and_the_compiler_asked_for()
    {
        string key = SessionJournal.RequestKey(Request);
        Assert.Equal(key, SessionJournal.RequestKey(Request with { MaxTrials = 99, MaxMinutes = 5 }));
        Assert.NotEqual(key, SessionJournal.RequestKey(Request with { Objective = MeasurementObjective.Instructions }));
        Assert.NotEqual(key, SessionJournal.RequestKey(Request with { Benchmarks = [new BenchmarkSpec("kernel", ["--size", "64"], VerifyCommand: ["cmp", "-"])] }));
        Assert.NotEqual(key, SessionJournal.RequestKey(Request with { Benchmarks = [new BenchmarkSpec("kernel", ["--size", "64"], OutputFiles: ["out.bin"])] }));
        Assert.NotEqual(key, SessionJournal.RequestKey(Request with { CCompiler = "clang" }));
    }

    [Fact]
    public void A_session_probed_with_another_compiler_does_not_carry_over()
    {
        var interrupted = SessionJournal.Find(
            [Header("k1"), new CompilerLine("gcc", "12.2.0", "/usr/bin/gcc", "gcc 12", 250), Trial(0, TrialPhase.Calibration)], "k1")!;
        Assert.True(interrupted.SameCompiler("gcc", "12.2.0", "/usr/bin/gcc"));
        Assert.False(interrupted.SameCompiler("clang", "14.0.6", "/usr/bin/clang"));
        Assert.False(interrupted.SameCompiler("gcc", "13.1.0", "/usr/bin/gcc"));
    }
}
