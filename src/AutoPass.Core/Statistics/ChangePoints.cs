namespace AutoPass.Core.Statistics;

/// <summary>
/// Where a series of per-pair log ratios moved: the partition into segments of at least <see cref="MinSegment"/> pairs
/// that minimizes the absolute deviations from each segment's median plus a penalty per cut (optimal partitioning, an
/// L1 cost so a spike cannot make a regime), the penalty scaled by the spread of one pair (from the differences of
/// neighbouring pairs, which only the few pairs at a move can inflate) and by ln n. Then neighbouring segments must
/// differ in median by a set shift and by <see cref="ShiftInSpreads"/> spreads of a pair, so neither a drift too small
/// to matter to a claim nor noise that persists for a few pairs is called a change of regime. A machine that switches
/// state every few pairs is cut at each switch, where a test of one move against the rest sees a mix on both sides.
/// </summary>
internal static class ChangePoints
{
    /// <summary>The fewest pairs in a segment.</summary>
    public const int MinSegment = 5;

    /// <summary>
    /// The penalty per cut, in spreads of a pair times ln n: what a cut must save in absolute deviations. At 2, 0 of 300
    /// stationary 60-pair series were cut (2 of 300 of AR(0.3) noise); a machine switching every 15 pairs or so is cut.
    /// </summary>
    public const double PenaltyInSpreads = 2.0;

    /// <summary>How far apart, in spreads of a pair, neighbouring segments' medians must be.</summary>
    public const double ShiftInSpreads = 2.0;

    /// <summary>The starts of the segments after the first (0-based pair indices, ascending); empty when the series did not move.</summary>
    /// <param name="minShift">The least difference between the medians of neighbouring segments (log units).</param>
    public static IReadOnlyList<int> Find(IReadOnlyList<double> series, double minShift, int minSegment = MinSegment)
    {
        int n = series.Count;
        if (n < 2 * minSegment) return [];
        double spread = PairSpread(series);
        var cuts = Partition(series, PenaltyInSpreads * Math.Max(spread, 1e-12) * Math.Log(n), minSegment);
        return MergeSmallMoves(series, cuts, Math.Max(minShift, ShiftInSpreads * spread));
    }

    /// <summary>The robust spread of one pair from the differences of neighbours, which only the few pairs at a move can inflate.</summary>
    private static double PairSpread(IReadOnlyList<double> series) =>
        RobustSpread.MadToSigma * RobustSpread.Median(Enumerable.Range(1, series.Count - 1).Select(i => Math.Abs(series[i] - series[i - 1]))) / Math.Sqrt(2);

    /// <summary>Optimal partitioning: the cuts minimizing Σ|x − segment median| + <paramref name="penalty"/> per cut.</summary>
    private static List<int> Partition(IReadOnlyList<double> series, double penalty, int minSegment)
    {
        int n = series.Count;
        var best = new double[n + 1];
        var previous = new int[n + 1];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = -penalty;
        var sorted = new List<double>(n);
        for (int end = minSegment; end <= n; end++)
        {
            sorted.Clear();
            // Segments [start, end), grown leftwards one pair at a time, kept sorted for their median.
            for (int start = end - 1; start >= 0; start--)
            {
                double x = series[start];
                int at = sorted.BinarySearch(x);
                sorted.Insert(at < 0 ? ~at : at, x);
                if (end - start < minSegment || double.IsPositiveInfinity(best[start])) continue;
                double cost = best[start] + penalty + AbsoluteDeviation(sorted);
                if (cost < best[end]) (best[end], previous[end]) = (cost, start);
            }
        }
        var cuts = new List<int>();
        for (int at = previous[n]; at > 0; at = previous[at]) cuts.Add(at);
        cuts.Reverse();
        return cuts;
    }

    private static double AbsoluteDeviation(List<double> sorted)
    {
        int m = sorted.Count;
        double median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2, sum = 0;
        foreach (double x in sorted) sum += Math.Abs(x - median);
        return sum;
    }

    /// <summary>Joins neighbouring segments whose medians differ by less than <paramref name="least"/>, the closest first.</summary>
    private static List<int> MergeSmallMoves(IReadOnlyList<double> series, List<int> starts, double least)
    {
        var cuts = new List<int>(starts);
        while (cuts.Count > 0)
        {
            int[] edges = [0, .. cuts, series.Count];
            var medians = Enumerable.Range(0, edges.Length - 1).Select(e => RobustSpread.Median(Enumerable.Range(edges[e], edges[e + 1] - edges[e]).Select(i => series[i]))).ToList();
            int closest = Enumerable.Range(0, cuts.Count).MinBy(c => Math.Abs(medians[c + 1] - medians[c]));
            if (Math.Abs(medians[closest + 1] - medians[closest]) >= least) break;
            cuts.RemoveAt(closest);
        }
        return cuts;
    }
}
