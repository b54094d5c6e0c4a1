using Slipway.Core.Statistics.Profiles;

namespace Slipway.Core.Tests.Statistics.Profiles;

public sealed class QuantileSketchTests
{
    // KLL with k = 200 keeps the rank error near 1%; 2% bounds it with room for the unlucky seed.
    private const double RankTolerance = 0.02;

    [Theory]
    [InlineData("normal")]
    [InlineData("sorted")]
    [InlineData("reversed")]
    [InlineData("duplicates")]
    public void Quantiles_Are_Within_Rank_Error_On_100k_Values(string shape)
    {
        var values = Values(shape, 100_000);
        var sketch = new QuantileSketch();
        sketch.Add(values);
        var sorted = values.Order().ToArray();

        Assert.Equal(100_000, sketch.Count);
        Assert.True(sketch.RetainedCount < 1_000, $"{sketch.RetainedCount} items kept.");
        for (var q = 0.0; q <= 1.0; q += 0.01)
        {
            var estimate = sketch.Quantile(q);

            // The estimate's true rank range (ties span several ranks) must come within the tolerance of q.
            var lowRank = (double)LowerBound(sorted, estimate) / sorted.Length;
            var highRank = (double)UpperBound(sorted, estimate) / sorted.Length;
            Assert.True(q >= lowRank - RankTolerance && q <= highRank + RankTolerance, $"q={q}: {estimate} has ranks {lowRank}..{highRank}.");

            var x = sorted[(int)(q * (sorted.Length - 1))];
            Assert.InRange(sketch.Rank(x), (double)LowerBound(sorted, x) / sorted.Length - RankTolerance, (double)UpperBound(sorted, x) / sorted.Length + RankTolerance);
        }
    }

    [Fact]
    public void Merged_Sketches_Keep_The_Rank_Error()
    {
        var values = Values("normal", 100_000);
        var merged = new QuantileSketch();
        for (var part = 0; part < 10; part++)
        {
            var sketch = new QuantileSketch();
            sketch.Add(values.AsSpan(part * 10_000, 10_000));
            merged.Merge(sketch);
        }

        var sorted = values.Order().ToArray();
        Assert.Equal(100_000, merged.Count);
        foreach (var q in new[] { 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99 })
        {
            var rank = (double)UpperBound(sorted, merged.Quantile(q)) / sorted.Length;
            Assert.InRange(rank, q - RankTolerance, q + RankTolerance);
        }
    }

    [Fact]
    public void Small_Inputs_Are_Exact()
    {
        var sketch = new QuantileSketch();
        sketch.Add([5.0, 1, 3, 2, 4]);

        Assert.Equal((1.0, 3.0, 5.0), (sketch.Quantile(0), sketch.Quantile(0.5), sketch.Quantile(1)));
        Assert.Equal((0.0, 0.4, 1.0), (sketch.Rank(0.5), sketch.Rank(2), sketch.Rank(9)));
    }

    [Fact]
    public void Same_Input_Gives_The_Same_Sketch()
    {
        var values = Values("normal", 50_000);
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        a.Add(values);
        foreach (var value in values)
        {
            b.Add(value);
        }

        Assert.Equal(a.ToItems().Values, b.ToItems().Values);
        Assert.Equal(a.ToItems().Weights, b.ToItems().Weights);
    }

    [Fact]
    public void Items_Round_Trip()
    {
        var sketch = new QuantileSketch();
        sketch.Add(Values("normal", 30_000));
        var (values, weights) = sketch.ToItems();

        var copy = QuantileSketch.FromItems(values, weights);

        Assert.True(values.AsSpan().SequenceEqual(values.Order().ToArray()));
        Assert.Equal(sketch.Count, copy.Count);
        Assert.Equal(sketch.Count, weights.Sum());
        Assert.Equal(values, copy.ToItems().Values);
        foreach (var q in new[] { 0.0, 0.1, 0.5, 0.9, 1.0 })
        {
            Assert.Equal(sketch.Quantile(q), copy.Quantile(q));
        }
    }

    [Fact]
    public void Weights_That_Are_Not_Powers_Of_Two_Are_Kept()
    {
        var sketch = QuantileSketch.FromItems([1.0, 2.0], [3, 5]);

        Assert.Equal(8, sketch.Count);
        Assert.Equal(3.0 / 8, sketch.Rank(1.5));
        Assert.Equal(2.0, sketch.Quantile(0.5));
    }

    [Fact]
    public void Empty_Sketch_Answers_NaN()
    {
        var sketch = new QuantileSketch();

        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.True(double.IsNaN(sketch.Rank(0)));
        Assert.Empty(sketch.ToItems().Values);
    }

    [Fact]
    public void Bad_Inputs_Are_Refused()
    {
        var sketch = new QuantileSketch();

        Assert.Equal("value", Assert.Throws<ArgumentException>(() => sketch.Add(double.NaN)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(1.5)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantileSketch.FromItems([1.0], [0])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantileSketch.FromItems([1.0], [])).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSketch(4)).ParamName);
    }

    [Fact]
    public void Merging_Itself_Doubles_Every_Weight()
    {
        var sketch = new QuantileSketch();
        sketch.Add([1.0, 2, 3]);

        sketch.Merge(sketch);

        Assert.Equal(6, sketch.Count);
        Assert.Equal(2.0 / 6, sketch.Rank(1.5), 1e-15);
    }

    internal static double[] Values(string shape, int count)
    {
        var random = new Random(17);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = shape switch
            {
                "sorted" => i,
                "reversed" => count - i,
                "duplicates" => random.Next(20),
                _ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()),
            };
        }

        return values;
    }

    private static int LowerBound(double[] sorted, double x)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] < x)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static int UpperBound(double[] sorted, double x)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] <= x)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
