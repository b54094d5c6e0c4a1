using Slipway.Deploy.Canary;

namespace Slipway.Deploy.Tests.Canary;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Each_latency_falls_in_the_bucket_whose_bounds_enclose_it()
    {
        foreach (var seconds in (double[])[0.000026, 0.0001, 0.00123, 0.01, 0.25, 1, 7.5, 60])
        {
            var bucket = LatencyHistogram.BucketOf(seconds);
            Assert.True(seconds <= LatencyHistogram.UpperBound(bucket), $"{seconds} above bucket {bucket}");
            Assert.True(seconds > LatencyHistogram.UpperBound(bucket - 1), $"{seconds} below bucket {bucket}");
        }

        Assert.Equal(0, LatencyHistogram.BucketOf(0));
        Assert.Equal(0, LatencyHistogram.BucketOf(-1));
        Assert.Equal(LatencyHistogram.FiniteBuckets, LatencyHistogram.BucketOf(1e6));
        Assert.Equal(0, LatencyHistogram.BucketOf(double.NaN));
    }

    [Fact]
    public void The_p99_is_the_bound_of_the_bucket_holding_the_99th_percentile_within_a_fifth()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 990; i++)
        {
            histogram.Record(0.002);
        }

        for (var i = 0; i < 10; i++)
        {
            histogram.Record(0.5);
        }

        Assert.Equal(1000, histogram.Count);
        Assert.InRange(histogram.Quantile(0.99), 0.002, 0.002 * 1.19);
        Assert.InRange(histogram.Quantile(0.995), 0.5, 0.5 * 1.19);
        Assert.Equal(0, new LatencyHistogram().Quantile(0.99));
    }

    [Fact]
    public void Counters_count_non_2xx_answers_as_errors()
    {
        var counters = new VariantCounters();
        counters.Record(200, 0.001);
        counters.Record(204, 0.001);
        counters.Record(400, 0.001);
        counters.Record(503, 0.001);
        counters.Record(302, 0.001);

        var snapshot = counters.Snapshot();

        Assert.Equal((5, 3), (snapshot.Requests, snapshot.Errors));
        Assert.Equal(0.6, snapshot.ErrorRate, 9);
    }
}
