using System.Runtime.CompilerServices;

namespace AutoPass.Core.Statistics;

/// <summary>
/// The n(n+1)/2 pairwise averages (dᵢ+dⱼ)/2, i ≤ j, of the log ratios, sorted, each with the pair it came from.
/// Their median is the Hodges–Lehmann estimate; their order statistics are the signed-rank bounds;
/// and a bootstrap resample's Hodges–Lehmann estimate is a weighted median of the same sorted list,
/// so resampling never re-sorts.
/// </summary>
internal sealed class WalshAverages
{
    private readonly double[] _values;
    // Indices into a weight table [c₀..cₙ₋₁, c₀(c₀+1)/2..cₙ₋₁(cₙ₋₁+1)/2, 1]: the weight of average k is
    // table[_first[k]]·table[_second[k]], branch-free for both i < j and i = j.
    private readonly int[] _first;
    private readonly int[] _second;

    public WalshAverages(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values to average.");
        Count = values.Count;
        int total = Count * (Count + 1) / 2;
        _values = new double[total];
        var order = new long[total];
        int k = 0;
        for (int i = 0; i < Count; i++)
            for (int j = i; j < Count; j++, k++)
            {
                _values[k] = (values[i] + values[j]) / 2;
                order[k] = ((long)i << 32) | (uint)j;
            }
        Array.Sort(_values, order);
        _first = new int[total];
        _second = new int[total];
        for (k = 0; k < total; k++)
        {
            int i = (int)(order[k] >> 32), j = (int)(order[k] & 0xFFFFFFFF);
            (_first[k], _second[k]) = i == j ? (Count + i, 2 * Count) : (i, j);
        }
    }

    /// <summary>Number of original values n.</summary>
    public int Count { get; }

    public IReadOnlyList<double> Sorted => _values;

    /// <summary>The Hodges–Lehmann estimate: median of the Walsh averages.</summary>
    public double Median
    {
        get
        {
            int m = _values.Length;
            return m % 2 == 1 ? _values[m / 2] : (_values[m / 2 - 1] + _values[m / 2]) / 2;
        }
    }

    /// <summary>
    /// Hodges–Lehmann estimate of a resample in which value i appears <paramref name="counts"/>[i] times
    /// (counts must sum to n): the Walsh averages of the resample are these averages with weights cᵢcⱼ (i &lt; j)
    /// and cᵢ(cᵢ+1)/2 (i = j), which total n(n+1)/2.
    /// </summary>
    public double ResampledMedian(ReadOnlySpan<int> counts) => ResampledMedian(counts.ToArray(), new long[2 * Count + 1]);

    /// <summary>The same, with a caller-owned weight table of 2n+1 entries so the bootstrap loop never allocates.</summary>
    // The bootstrap's inner loop: plain arrays and locals, which stay fast even in unoptimised Debug builds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double ResampledMedian(int[] counts, long[] table)
    {
        int n = Count;
        for (int i = 0; i < n; i++)
        {
            long c = counts[i];
            table[i] = c;
            table[n + i] = c * (c + 1) / 2;
        }
        table[2 * n] = 1;
        long total = (long)n * (n + 1) / 2;
        // 1-based ranks of the middle element(s) of the resample's Walsh averages.
        long lowRank = (total + 1) / 2, highRank = total / 2 + 1;
        int[] first = _first, second = _second;
        long seen = 0;
        int k = 0;
        while (seen < lowRank) { seen += table[first[k]] * table[second[k]]; k++; }
        double low = _values[k - 1];
        while (seen < highRank) { seen += table[first[k]] * table[second[k]]; k++; }
        return (low + _values[k - 1]) / 2;
    }
}
