namespace Slipway.Core.Statistics.Drift;

/// <summary>
/// Sorts finite doubles by a least-significant-digit radix sort on their IEEE 754 bits (4 passes of 16 bits), several
/// times faster than a comparison sort on the million-value columns drift reports sort.
/// </summary>
internal static class DoubleRadixSort
{
    private const int DigitBits = 16;
    private const int Buckets = 1 << DigitBits;
    private const int Passes = 64 / DigitBits;

    /// <summary>The finite values of <paramref name="source"/> (NaN and ±∞ dropped, as Evidently drops them), ascending.</summary>
    public static double[] SortFinite(ReadOnlySpan<double> source)
    {
        var keys = new ulong[source.Length];
        var count = 0;
        foreach (var value in source)
        {
            if (double.IsFinite(value))
            {
                keys[count++] = ToKey(value);
            }
        }

        var sorted = new double[count];
        if (count == 0)
        {
            return sorted;
        }

        var scratch = new ulong[count];
        var histograms = new int[Passes * Buckets];
        var live = keys.AsSpan(0, count);

        // One pass counts every digit of every key; passes whose digit is the same for all keys are skipped.
        foreach (var key in live)
        {
            for (var pass = 0; pass < Passes; pass++)
            {
                histograms[(pass * Buckets) + (int)((key >> (pass * DigitBits)) & (Buckets - 1))]++;
            }
        }

        var from = live;
        var to = scratch.AsSpan();
        for (var pass = 0; pass < Passes; pass++)
        {
            var histogram = histograms.AsSpan(pass * Buckets, Buckets);
            var shift = pass * DigitBits;
            if (histogram[(int)((from[0] >> shift) & (Buckets - 1))] == count)
            {
                continue;
            }

            var offset = 0;
            for (var bucket = 0; bucket < Buckets; bucket++)
            {
                var size = histogram[bucket];
                histogram[bucket] = offset;
                offset += size;
            }

            foreach (var key in from)
            {
                to[histogram[(int)((key >> shift) & (Buckets - 1))]++] = key;
            }

            var swap = from;
            from = to;
            to = swap;
        }

        for (var i = 0; i < count; i++)
        {
            sorted[i] = FromKey(from[i]);
        }

        return sorted;
    }

    // Flipping the sign bit of positives and every bit of negatives makes the unsigned order the numeric order.
    // −0.0 and +0.0 map to neighbouring keys; both compare equal afterwards, as in any sort.
    private static ulong ToKey(double value)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    private static double FromKey(ulong key)
    {
        var bits = (key & 0x8000_0000_0000_0000UL) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key;
        return BitConverter.Int64BitsToDouble((long)bits);
    }
}
