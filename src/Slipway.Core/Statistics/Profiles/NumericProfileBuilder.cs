using System.Numerics;

namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// Accumulates one numeric feature's profile from a stream of values: count, missing (NaN), mean and variance
/// (numerically stable: two passes per chunk, chunks combined with Chan's formula), min, max, a histogram on fixed bin
/// edges and a <see cref="QuantileSketch"/>. Mutable and not thread-safe: one owner adds values.
/// </summary>
/// <remarks>
/// The span overloads are the fast path (tens of nanoseconds per value or less): values are copied in chunks into a
/// reused buffer, so adding allocates nothing.
/// </remarks>
public sealed class NumericProfileBuilder
{
    private const int ChunkSize = 512;

    private readonly double[] _edges;
    private readonly long[] _binCounts;
    private readonly bool _uniformBins;
    private readonly double _firstEdge;
    private readonly double _lastEdge;
    private readonly double _binsPerUnit;
    private readonly QuantileSketch _sketch;

    // Non-missing values of the chunk being added, and the conversion buffer of the integer and float overloads.
    private readonly double[] _chunk = new double[ChunkSize];
    private double[]? _converted;

    private long _count;
    private long _missing;
    private double _mean;
    private double _m2;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private long _below;
    private long _above;

    /// <summary>An empty builder.</summary>
    /// <param name="binEdges">
    /// The histogram's edges (at least two, finite, non-decreasing), usually the reference profile's; null for no
    /// histogram. Copied.
    /// </param>
    /// <param name="sketchK">The quantile sketch's accuracy parameter (200 by default: about 1% rank error).</param>
    public NumericProfileBuilder(double[]? binEdges = null, int sketchK = QuantileSketch.DefaultK)
    {
        _sketch = new QuantileSketch(sketchK);
        if (binEdges is null || binEdges.Length == 0)
        {
            _edges = [];
            _binCounts = [];
            return;
        }

        if (binEdges.Length < 2)
        {
            throw new ArgumentException("A histogram needs at least two bin edges.", nameof(binEdges));
        }

        for (var i = 0; i < binEdges.Length; i++)
        {
            if (!double.IsFinite(binEdges[i]) || (i > 0 && binEdges[i] < binEdges[i - 1]))
            {
                throw new ArgumentException($"Bin edges must be finite and non-decreasing; edge {i} is {binEdges[i]}.", nameof(binEdges));
            }
        }

        _edges = (double[])binEdges.Clone();
        _binCounts = new long[_edges.Length - 1];
        _firstEdge = _edges[0];
        _lastEdge = _edges[^1];

        // Equal-width edges (Sturges' are) let a value's bin be computed instead of searched for; the guess is then
        // checked against the real edges, so counts stay exactly numpy's.
        var bins = _binCounts.Length;
        var width = (_lastEdge - _firstEdge) / bins;
        _uniformBins = width > 0;
        for (var i = 1; i < bins && _uniformBins; i++)
        {
            _uniformBins = Math.Abs(_edges[i] - (_firstEdge + (i * width))) <= width * 1e-6;
        }

        _binsPerUnit = _uniformBins ? bins / (_lastEdge - _firstEdge) : 0;
    }

    /// <summary>Non-missing values added.</summary>
    public long Count => _count;

    /// <summary>Missing values (NaN or infinite) added.</summary>
    public long Missing => _missing;

    /// <summary>The histogram's edges (empty without a histogram).</summary>
    public ReadOnlySpan<double> BinEdges => _edges;

    /// <summary>Adds one value; NaN and infinities count as missing (Evidently drops them too).</summary>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            _missing++;
            return;
        }

        // Welford's update for a single value.
        _count++;
        var delta = value - _mean;
        _mean += delta / _count;
        _m2 += delta * (value - _mean);
        _min = value < _min ? value : _min;
        _max = value > _max ? value : _max;
        if (_edges.Length != 0)
        {
            CountBin(value);
        }

        _sketch.AppendUnchecked(new ReadOnlySpan<double>(in value));
    }

    /// <summary>Adds values; NaN and infinities count as missing.</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        while (!values.IsEmpty)
        {
            var take = Math.Min(ChunkSize, values.Length);
            AddChunk(values[..take]);
            values = values[take..];
        }
    }

    /// <summary>Adds values; NaN and infinities count as missing.</summary>
    public void Add(ReadOnlySpan<float> values) => AddConverted(values);

    /// <summary>Adds values (converted to double: integers beyond 2^53 lose precision).</summary>
    public void Add(ReadOnlySpan<long> values) => AddConverted(values);

    /// <summary>Adds values.</summary>
    public void Add(ReadOnlySpan<int> values) => AddConverted(values);

    // Converts through a reused chunk buffer: the value types the tensors hold become doubles without an allocation.
    private void AddConverted<T>(ReadOnlySpan<T> values)
        where T : struct, INumberBase<T>
    {
        var converted = _converted ??= new double[ChunkSize];
        while (!values.IsEmpty)
        {
            var take = Math.Min(ChunkSize, values.Length);
            for (var i = 0; i < take; i++)
            {
                converted[i] = double.CreateTruncating(values[i]);
            }

            AddChunk(converted.AsSpan(0, take));
            values = values[take..];
        }
    }

    /// <summary>Adds everything <paramref name="other"/> holds; its bin edges must equal these.</summary>
    /// <exception cref="ArgumentException">The bin edges differ.</exception>
    public void Merge(NumericProfileBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            Merge(other.ToProfile());
            return;
        }

        RequireSameEdges(other._edges, nameof(other));
        _missing += other._missing;
        Combine(other._count, other._mean, other._m2, other._min, other._max);
        AddBins(other._binCounts, other._below, other._above);
        _sketch.Merge(other._sketch);
    }

    /// <summary>Adds everything a stored <paramref name="profile"/> holds; its bin edges must equal these.</summary>
    /// <exception cref="ArgumentException">The bin edges differ.</exception>
    public void Merge(NumericProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var edges = new double[profile.BinEdges.Count];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = profile.BinEdges[i];
        }

        RequireSameEdges(edges, nameof(profile));
        var counts = new long[profile.BinCounts.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = profile.BinCounts[i];
        }

        _missing += profile.Missing;
        if (profile.Count > 0)
        {
            Combine(profile.Count, profile.Mean, profile.Variance * profile.Count, profile.Min, profile.Max);
        }

        AddBins(counts, profile.Below, profile.Above);
        _sketch.Merge(profile.ToSketch(_sketch.K));
    }

    /// <summary>Forgets every value, keeping the bin edges.</summary>
    public void Clear()
    {
        _count = 0;
        _missing = 0;
        _mean = 0;
        _m2 = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
        _below = 0;
        _above = 0;
        Array.Clear(_binCounts);
        _sketch.Clear();
    }

    /// <summary>The profile of the values added so far (the builder can go on adding).</summary>
    public NumericProfile ToProfile()
    {
        var empty = _count == 0;
        var (values, weights) = _sketch.ToItems();
        return new NumericProfile(
            _count,
            _missing,
            empty ? double.NaN : _mean,
            empty ? double.NaN : _m2 / _count,
            empty ? double.NaN : _min,
            empty ? double.NaN : _max,
            (double[])_edges.Clone(),
            (long[])_binCounts.Clone(),
            _below,
            _above,
            values,
            weights);
    }

    private void AddChunk(ReadOnlySpan<double> values)
    {
        // Pass 1: drop NaN and infinities, copy the rest into the chunk buffer, and sum, min and max.
        var chunk = _chunk;
        var n = 0;
        var sum = 0.0;
        var min = _min;
        var max = _max;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                _missing++;
                continue;
            }

            chunk[n++] = value;
            sum += value;
            min = value < min ? value : min;
            max = value > max ? value : max;
        }

        if (n == 0)
        {
            return;
        }

        _min = min;
        _max = max;

        // Pass 2 (the corrected two-pass algorithm): deviations from the rough mean give the chunk's exact-as-possible
        // mean and sum of squares even when values sit far from zero (1e9 + small noise).
        var rough = sum / n;
        var deviations = 0.0;
        var squares = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = chunk[i] - rough;
            deviations += d;
            squares += d * d;
        }

        var chunkMean = rough + (deviations / n);
        var chunkM2 = squares - (deviations * deviations / n);
        CombineMoments(n, chunkMean, chunkM2);

        if (_edges.Length != 0)
        {
            for (var i = 0; i < n; i++)
            {
                CountBin(chunk[i]);
            }
        }

        _sketch.AppendUnchecked(chunk.AsSpan(0, n));
    }

    private void CountBin(double value)
    {
        if (value < _firstEdge)
        {
            _below++;
            return;
        }

        if (value > _lastEdge)
        {
            _above++;
            return;
        }

        var edges = _edges;
        var last = _binCounts.Length - 1;
        int bin;
        if (_uniformBins)
        {
            bin = Math.Min((int)((value - _firstEdge) * _binsPerUnit), last);

            // The arithmetic guess can be one off at an edge; the edges themselves decide (numpy does the same).
            while (bin > 0 && value < edges[bin])
            {
                bin--;
            }

            while (bin < last && value >= edges[bin + 1])
            {
                bin++;
            }
        }
        else
        {
            // The last edge e with e <= value, among edges[0..last]: bin i holds [edges[i], edges[i+1]).
            int low = 0, high = last;
            while (low < high)
            {
                var middle = (low + high + 1) >>> 1;
                if (edges[middle] <= value)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            bin = low;
        }

        _binCounts[bin]++;
    }

    private void Combine(long count, double mean, double m2, double min, double max)
    {
        if (count == 0)
        {
            return;
        }

        CombineMoments(count, mean, m2);
        _min = Math.Min(_min, min);
        _max = Math.Max(_max, max);
    }

    private void CombineMoments(long count, double mean, double m2)
    {
        if (_count == 0)
        {
            _count = count;
            _mean = mean;
            _m2 = m2;
            return;
        }

        // Chan, Golub and LeVeque's pairwise update.
        var total = _count + count;
        var delta = mean - _mean;
        _mean += delta * count / total;
        _m2 += m2 + (delta * delta * ((double)_count * count / total));
        _count = total;
    }

    private void AddBins(long[] counts, long below, long above)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            _binCounts[i] += counts[i];
        }

        _below += below;
        _above += above;
    }

    private void RequireSameEdges(double[] edges, string parameter)
    {
        if (!edges.AsSpan().SequenceEqual(_edges))
        {
            throw new ArgumentException($"Cannot merge profiles with different bin edges ({edges.Length} edges here, {_edges.Length} expected).", parameter);
        }
    }
}
