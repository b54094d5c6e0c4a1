namespace Slipway.Deploy.Canary;

/// <summary>
/// A fixed-bucket latency histogram for the request path: one <see cref="Interlocked"/> increment per sample, no locks,
/// no allocation. Bucket bounds grow by 2^(1/4) (about 19 %) from 25 µs; the last bucket holds everything above
/// about 100 s. Quantiles are reported as the upper bound of the bucket they fall in.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>The first bucket's upper bound, in seconds.</summary>
    public const double SmallestBound = 0.000025;

    /// <summary>Buckets per doubling of latency.</summary>
    public const int BucketsPerDoubling = 4;

    /// <summary>Finite buckets; one more holds the overflow.</summary>
    public const int FiniteBuckets = 22 * BucketsPerDoubling;

    private readonly long[] counts = new long[FiniteBuckets + 1];

    /// <summary>Samples recorded.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                total += Volatile.Read(ref counts[i]);
            }

            return total;
        }
    }

    /// <summary>The upper bound of bucket <paramref name="index"/>, in seconds (infinity for the overflow bucket).</summary>
    public static double UpperBound(int index) =>
        index >= FiniteBuckets ? double.PositiveInfinity : SmallestBound * Math.Pow(2, (double)index / BucketsPerDoubling);

    /// <summary>The bucket a latency of <paramref name="seconds"/> falls in.</summary>
    public static int BucketOf(double seconds)
    {
        if (!(seconds > SmallestBound))
        {
            return 0;
        }

        var index = (int)Math.Ceiling(BucketsPerDoubling * Math.Log2(seconds / SmallestBound) - 1e-9);
        return Math.Min(index, FiniteBuckets);
    }

    /// <summary>Records one latency, in seconds.</summary>
    public void Record(double seconds) => Interlocked.Increment(ref counts[BucketOf(seconds)]);

    /// <summary>
    /// The <paramref name="quantile"/> (0 to 1) as the upper bound of its bucket, in seconds; 0 when empty. The overflow
    /// bucket reports the largest finite bound times 2.
    /// </summary>
    public double Quantile(double quantile)
    {
        var snapshot = new long[counts.Length];
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            snapshot[i] = Volatile.Read(ref counts[i]);
            total += snapshot[i];
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(quantile, 0, 1) * total));
        long seen = 0;
        for (var i = 0; i < snapshot.Length; i++)
        {
            seen += snapshot[i];
            if (seen >= rank)
            {
                return i >= FiniteBuckets ? UpperBound(FiniteBuckets - 1) * 2 : UpperBound(i);
            }
        }

        return UpperBound(FiniteBuckets - 1) * 2;
    }
}
