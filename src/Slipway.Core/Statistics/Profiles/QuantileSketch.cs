namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// A mergeable quantile sketch (KLL: Karnin, Lang and Liberty, 2016). Values enter level 0 with weight 1; when the
/// sketch is full, the lowest level over its capacity is sorted and every other item moves up one level with twice the
/// weight. Levels below the top hold geometrically fewer items (ratio 2/3, at least 8), the top holds
/// <see cref="K"/>. Once a stream is long enough that levels below those would hold only the minimum, a sampler takes
/// their place (as in the KLL paper): one value picked at random from each block of <c>2^h</c> goes straight to level h.
/// With the default <c>k = 200</c> the rank error is about 1% of the count, and the sketch keeps roughly <c>3k</c> items
/// whatever the count.
/// </summary>
/// <remarks>
/// Deterministic: which half of a compacted level survives comes from a pseudo-random generator with a fixed seed, so
/// the same values added (and merged) in the same order give the same sketch. Not thread-safe.
/// </remarks>
public sealed class QuantileSketch
{
    /// <summary>The default accuracy parameter: the top level's capacity (about 1% rank error).</summary>
    public const int DefaultK = 200;

    private const int MinLevelCapacity = 8;
    private const double CapacityRatio = 2.0 / 3.0;
    private const ulong Seed = 0x9E3779B97F4A7C15UL;

    private double[][] _levels = [];
    private int[] _sizes = [];
    private int[] _capacities = [];
    private int _retained;
    private int _capacity;
    private long _count;
    private ulong _random = Seed;

    // The sampler that stands in for the lowest levels of a long stream (as in the KLL paper): each block of
    // 2^_samplerLevel incoming values contributes one of them, picked at random, straight to level _samplerLevel. It
    // spares most values the sorting of level 0, the sketch's main cost per value.
    private readonly int _keptDepth;
    private int _samplerLevel;
    private long _blockSize = 1;
    private long _blockSeen;
    private long _blockPick;
    private double _blockValue;
    private int _blockLevel;

    // The sorted view that Quantile and Rank search; dropped whenever items change.
    private double[]? _sortedValues;
    private long[]? _cumulativeWeights;

    /// <summary>An empty sketch.</summary>
    /// <param name="k">The top level's capacity, at least 8; 200 (the default) gives about 1% rank error.</param>
    public QuantileSketch(int k = DefaultK)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, MinLevelCapacity);
        K = k;

        // Levels whose KLL capacity k (2/3)^depth is at least the minimum; deeper ones are left to the sampler.
        _keptDepth = Math.Max(1, (int)Math.Floor(Math.Log((double)k / MinLevelCapacity) / Math.Log(1 / CapacityRatio)));
        AddLevel();
    }

    /// <summary>The accuracy parameter the sketch was made with.</summary>
    public int K { get; }

    /// <summary>How many values the sketch summarises (the sum of its items' weights).</summary>
    public long Count => _count;

    /// <summary>How many items the sketch keeps.</summary>
    public int RetainedCount => _retained;

    /// <summary>Adds one value.</summary>
    /// <exception cref="ArgumentException">The value is NaN.</exception>
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("A quantile sketch takes no NaN; count missing values elsewhere.", nameof(value));
        }

        AppendUnchecked(new ReadOnlySpan<double>(in value));
    }

    /// <summary>Adds values.</summary>
    /// <exception cref="ArgumentException">A value is NaN.</exception>
    public void Add(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("A quantile sketch takes no NaN; count missing values elsewhere.", nameof(values));
            }
        }

        AppendUnchecked(values);
    }

    /// <summary>Adds everything <paramref name="other"/> summarises; <paramref name="other"/> is unchanged.</summary>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            var (values, weights) = ToItems();
            other = FromItems(values, weights, K);
        }

        if (other._count == 0)
        {
            return;
        }

        for (var level = 0; level < other._levels.Length; level++)
        {
            while (level >= _levels.Length)
            {
                AddLevel();
            }

            var size = other._sizes[level];
            EnsureRoom(level, size);
            other._levels[level].AsSpan(0, size).CopyTo(_levels[level].AsSpan(_sizes[level]));
            _sizes[level] += size;
            _retained += size;
        }

        _count += other._count;
        if (other._blockSeen > 0)
        {
            AddWeighted(other._blockValue, other._blockSeen);
        }

        _sortedValues = null;
        Compress();
    }

    /// <summary>Forgets every value; the sketch is empty again (its generator restarts from the seed).</summary>
    public void Clear()
    {
        _levels = [];
        _sizes = [];
        _capacities = [];
        _retained = 0;
        _capacity = 0;
        _count = 0;
        _random = Seed;
        _samplerLevel = 0;
        _blockSize = 1;
        _blockSeen = 0;
        _blockLevel = 0;
        _sortedValues = null;
        AddLevel();
    }

    /// <summary>
    /// The value at quantile <paramref name="q"/>: the smallest kept item whose cumulative weight reaches
    /// <c>q × Count</c> (no interpolation). NaN when the sketch is empty.
    /// </summary>
    /// <param name="q">The quantile, from 0 to 1.</param>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile lies between 0 and 1.");
        }

        if (_count == 0)
        {
            return double.NaN;
        }

        EnsureSorted();
        var target = q * _count;
        var cumulative = _cumulativeWeights!;
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (cumulative[middle] >= target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return _sortedValues![low];
    }

    /// <summary>The estimated fraction of values at or below <paramref name="value"/> (the empirical CDF); NaN when empty.</summary>
    public double Rank(double value)
    {
        if (_count == 0)
        {
            return double.NaN;
        }

        EnsureSorted();
        var values = _sortedValues!;

        // The number of items <= value: the first index whose item is greater.
        int low = 0, high = values.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (values[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == 0 ? 0 : (double)_cumulativeWeights![low - 1] / _count;
    }

    /// <summary>The kept items sorted by value, with their weights (which sum to <see cref="Count"/>): what is serialised.</summary>
    public (double[] Values, long[] Weights) ToItems()
    {
        // A block the sampler is part way through stands for the values it has seen so far.
        var pending = _blockSeen > 0 ? 1 : 0;
        var values = new double[_retained + pending];
        var weights = new long[_retained + pending];
        if (pending == 1)
        {
            values[_retained] = _blockValue;
            weights[_retained] = _blockSeen;
        }

        var at = 0;
        for (var level = 0; level < _levels.Length; level++)
        {
            var size = _sizes[level];
            _levels[level].AsSpan(0, size).CopyTo(values.AsSpan(at));
            weights.AsSpan(at, size).Fill(1L << level);
            at += size;
        }

        Array.Sort(values, weights);
        return (values, weights);
    }

    /// <summary>
    /// Rebuilds a sketch from items written by <see cref="ToItems"/>. Any positive weights are accepted: a weight that
    /// is not a power of two is split over the levels of its binary digits, so the summarised values are kept exactly.
    /// </summary>
    /// <param name="values">The items' values (no NaN), in any order.</param>
    /// <param name="weights">The items' weights, each at least 1.</param>
    /// <param name="k">The accuracy parameter of the new sketch (200 by default).</param>
    public static QuantileSketch FromItems(ReadOnlySpan<double> values, ReadOnlySpan<long> weights, int k = DefaultK)
    {
        if (values.Length != weights.Length)
        {
            throw new ArgumentException($"{values.Length} values but {weights.Length} weights.", nameof(weights));
        }

        var sketch = new QuantileSketch(k);
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var weight = weights[i];
            if (double.IsNaN(value))
            {
                throw new ArgumentException($"Item {i} is NaN.", nameof(values));
            }

            if (weight < 1)
            {
                throw new ArgumentException($"Item {i} has weight {weight}; weights are at least 1.", nameof(weights));
            }

            sketch.AddWeighted(value, weight);
            sketch._count += weights[i];
        }

        sketch.Compress();
        return sketch;
    }

    /// <summary>Appends values known not to be NaN: the profile builders' fast path.</summary>
    internal void AppendUnchecked(ReadOnlySpan<double> values)
    {
        _count += values.Length;
        _sortedValues = null;
        if (_samplerLevel == 0 && _blockSeen == 0)
        {
            AppendLevel0(values);
            return;
        }

        // Whole blocks are skipped through by index: the sampler costs per block, not per value.
        while (!values.IsEmpty)
        {
            if (_blockSeen == 0)
            {
                if (_samplerLevel == 0)
                {
                    AppendLevel0(values);
                    return;
                }

                _blockLevel = _samplerLevel;
                _blockSize = 1L << _samplerLevel;
                _blockPick = (long)(NextRandom() % (ulong)_blockSize);

                // Until the picked position arrives, the block's first value stands in for the values seen.
                _blockValue = values[0];
            }

            var take = (int)Math.Min(_blockSize - _blockSeen, values.Length);
            var pick = _blockPick - _blockSeen;
            if (pick >= 0 && pick < take)
            {
                _blockValue = values[(int)pick];
            }

            _blockSeen += take;
            values = values[take..];
            if (_blockSeen == _blockSize)
            {
                _blockSeen = 0;
                AddItem(_blockValue, _blockLevel);
                Compress();
            }
        }
    }

    private void AppendLevel0(ReadOnlySpan<double> values)
    {
        while (!values.IsEmpty)
        {
            // Compress keeps _retained below _capacity, so there is room for at least one value.
            var take = Math.Min(_capacity - _retained, values.Length);
            EnsureRoom(0, take);
            values[..take].CopyTo(_levels[0].AsSpan(_sizes[0]));
            _sizes[0] += take;
            _retained += take;
            values = values[take..];
            if (_retained >= _capacity)
            {
                Compress();

                // A new level may have turned on the sampler: the rest goes through it.
                if (_samplerLevel > 0)
                {
                    _count -= values.Length;
                    AppendUnchecked(values);
                    return;
                }
            }
        }
    }

    private void AddWeighted(double value, long weight)
    {
        // A weight that is not a power of two is split over the levels of its binary digits.
        for (var level = 0; weight != 0; level++, weight >>= 1)
        {
            if ((weight & 1) != 0)
            {
                AddItem(value, level);
            }
        }
    }

    private void AddItem(double value, int level)
    {
        while (level >= _levels.Length)
        {
            AddLevel();
        }

        EnsureRoom(level, 1);
        _levels[level][_sizes[level]++] = value;
        _retained++;
    }

    private void Compress()
    {
        while (_retained >= _capacity)
        {
            // Some level is at or over its capacity: the capacities sum to _capacity.
            var level = 0;
            while (_sizes[level] < _capacities[level])
            {
                level++;
            }

            CompactLevel(level);
        }
    }

    private void CompactLevel(int level)
    {
        if (level + 1 == _levels.Length)
        {
            AddLevel();
        }

        var items = _levels[level];
        var size = _sizes[level];
        Array.Sort(items, 0, size);

        // An odd count keeps its smallest item here; the rest pair up and one of each pair moves up with twice the weight.
        var keep = size & 1;
        var pairs = (size - keep) / 2;
        var offset = keep + NextBit();
        EnsureRoom(level + 1, pairs);
        var target = _levels[level + 1];
        var at = _sizes[level + 1];
        for (var i = 0; i < pairs; i++)
        {
            target[at + i] = items[offset + (2 * i)];
        }

        _sizes[level + 1] = at + pairs;
        _sizes[level] = keep;
        _retained -= pairs;
        _sortedValues = null;
    }

    private void AddLevel()
    {
        var count = _levels.Length + 1;
        Array.Resize(ref _levels, count);
        Array.Resize(ref _sizes, count);
        _levels[count - 1] = new double[MinLevelCapacity];

        // KLL's capacities: k at the top level, shrinking by 2/3 per level down, never below 8.
        _capacities = new int[count];
        _capacity = 0;
        for (var level = 0; level < count; level++)
        {
            var depth = count - 1 - level;
            var capacity = Math.Max(MinLevelCapacity, (int)Math.Ceiling(K * Math.Pow(CapacityRatio, depth)));
            _capacities[level] = capacity;
            _capacity += capacity;
        }

        _samplerLevel = Math.Max(0, count - 1 - _keptDepth);

        // Level 0 fills up to the whole sketch's capacity before anything compacts: sized once, not per value.
        EnsureRoom(0, _capacity - _sizes[0]);
    }

    private void EnsureRoom(int level, int extra)
    {
        var needed = _sizes[level] + extra;
        if (needed > _levels[level].Length)
        {
            Array.Resize(ref _levels[level], Math.Max(needed, _levels[level].Length * 2));
        }
    }

    private int NextBit() => (int)(NextRandom() >> 63);

    private ulong NextRandom()
    {
        // xorshift64: a fixed-seed generator keeps sketches reproducible.
        var x = _random;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        _random = x;
        return x;
    }

    private void EnsureSorted()
    {
        if (_sortedValues is not null)
        {
            return;
        }

        var (values, weights) = ToItems();
        var cumulative = weights;
        for (var i = 1; i < cumulative.Length; i++)
        {
            cumulative[i] += cumulative[i - 1];
        }

        _sortedValues = values;
        _cumulativeWeights = cumulative;
    }
}
