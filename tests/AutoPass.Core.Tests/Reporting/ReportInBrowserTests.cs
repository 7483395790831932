using System.Diagnostics;
using System.Text.RegularExpressions;
using AutoPass.Core.Evidence;
using AutoPass.Core.Reporting;

namespace AutoPass.Core.Tests.Reporting;

/// <summary>
/// report.html from the ledger of a real session (tests/fixtures/ledgers/kernels: gcc, the kernels sample at -O1, races of
/// four, a winner minimized and confirmed), opened in headless Chromium: the DOM it builds and the picture it draws.
/// </summary>
[Trait("Category", "Real")]
public sealed partial class ReportInBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopass-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string file) => Path.GetFullPath(Path.Combine(CProjectFixtures.Path(".."), "ledgers", "kernels", file));

    [Fact]
    public async Task The_report_of_a_real_session_renders_its_plots_and_every_trial_in_Chromium()
    {
        string report = Path.Combine(_dir, "report.html");
        Assert.Equal(0, HtmlReportExporter.WriteFromFiles(Fixture("ledger.jsonl"), Fixture("autopass.lock.json"), report));
        var trials = ReportSource.FromLedger(Fixture("ledger.jsonl"), null).Trials;
        // The session behind the fixture did what the report has to show.
        Assert.Contains(trials, t => t.Phase == TrialPhase.Minimize && t.ComparedWith is not null);
        Assert.Contains(trials, t => t.Phase == TrialPhase.Confirm && t.Confirms is not null);
        Assert.Contains(trials, t => t.Outcome() is TrialOutcome.Reused or TrialOutcome.SameAsBaseline);
        Assert.True(trials.Select(t => t.Race).OfType<int>().Distinct().Count() > 1);

        string dom = await ChromiumAsync("--dump-dom", "file://" + report);
        // The plots: best so far (trials and minutes), the pair ratios, and an axis over and under each table's interval column.
        Assert.Contains("class=\"chart best-so-far best-so-far-trials\"", dom);
        Assert.Contains("class=\"chart best-so-far best-so-far-minutes\"", dom);
        Assert.Contains("class=\"chart pair-ratios\"", dom);
        Assert.Equal(4, Regex.Matches(dom, "<svg[^>]*class=\"strip-axis\"").Count);
        Assert.True(Regex.Matches(dom, "class=\"tick\"").Count > 40);
        Assert.Contains("<text class=\"axis-title\"", dom);
        // Every trial is a row with its whole flags; a reused one names the trial it is identical to.
        Assert.Equal(trials.Count, TrialRow().Matches(dom).Count);
        foreach (var t in trials.Where(t => t.Flags.Count > 0))
            Assert.Contains("<code>" + string.Join(' ', t.Flags) + "</code>", dom);
        foreach (var t in trials.Where(t => t.Outcome() == TrialOutcome.Reused && t.ReusedFrom > 0))
            Assert.Matches($"data-trial=\"{t.Trial}\">.*identical to trial {t.ReusedFrom}<", dom);
        Assert.Equal(trials.Count(t => t.Phase == TrialPhase.Minimize), Regex.Matches(dom, "<tr class=\"(kept|dropped)\">").Count);
        // One file: nothing to fetch.
        Assert.DoesNotMatch("<(script|link|img)\\b|\\b(src|href)=", dom);

        string png = Path.Combine(_dir, "report.png");
        await ChromiumAsync("--screenshot=" + png, "--window-size=1280,2400", "file://" + report);
        var pixels = PngPixels.Read(png);
        Assert.Equal((1280, 2400), (pixels.Width, pixels.Height));
        int ink = 0, band = 0;
        var colours = new HashSet<int>();
        for (int y = 0; y < pixels.Height; y += 2)
            for (int x = 0; x < pixels.Width; x += 2)
            {
                var (r, g, b) = pixels.At(x, y);
                colours.Add(r << 16 | g << 8 | b);
                if (r + g + b < 600) ink++;
                // A colour only the SVG draws, the best-so-far band (#1a7f37 at 15% on white): none of it when the plots do not render.
                if (Near((r, g, b), (221, 236, 225), 3)) band++;
            }
        Assert.True(ink > pixels.Width * pixels.Height / 4 / 40, $"only {ink} sampled pixels are not near white: the page looks blank");
        Assert.True(colours.Count > 200, $"only {colours.Count} colours: the page looks blank or unstyled");
        Assert.True(band > 2000, $"only {band} sampled pixels of the best-so-far band: the progress plots did not render");
    }

    private static bool Near((byte R, byte G, byte B) pixel, (int R, int G, int B) colour, int tolerance) =>
        Math.Abs(pixel.R - colour.R) <= tolerance && Math.Abs(pixel.G - colour.G) <= tolerance && Math.Abs(pixel.B - colour.B) <= tolerance;

    [GeneratedRegex("<tr class=\"trial[^\"]*\" data-trial=\"\\d+\">")]
    private static partial Regex TrialRow();

    /// <summary>Runs Debian's chromium headless and returns what it printed; fails when it is not installed (.ci/run installs it).</summary>
    private async Task<string> ChromiumAsync(params string[] args)
    {
        string? chromium = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(d => Path.Combine(d, "chromium")).FirstOrDefault(File.Exists);
        Assert.True(chromium is not null, "chromium is not on PATH: install Debian's chromium package (.ci/run does).");
        var start = new ProcessStartInfo(chromium!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", $"--user-data-dir={Path.Combine(_dir, "profile")}" }.Concat(args))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
