using System.Text.Json;
using Slipway.Core.Statistics.Drift;
using static Slipway.Core.Tests.Statistics.Drift.DriftFixtures;

namespace Slipway.Core.Tests.Statistics.Drift;

public sealed class DriftDetectorTests
{
    public static TheoryData<int> DetectorCases => Indexes("detector");

    [Theory]
    [MemberData(nameof(DetectorCases))]
    public void Detect_ChoosesAndScoresAsEvidently(int index)
    {
        var fixture = Case("detector", index);
        var name = fixture.GetProperty("name").GetString()!;
        var (reference, current) = Columns(fixture);
        var options = DriftOptions.Default;
        if (fixture.GetProperty("override").ValueKind == JsonValueKind.String)
        {
            Assert.True(DriftMethods.TryParse(fixture.GetProperty("override").GetString()!, out var method));
            options = options with { Features = new Dictionary<string, FeatureDriftOverride> { ["f"] = new(method) } };
        }

        var report = DriftDetector.Detect([reference], [current], options);

        var feature = Assert.Single(report.Features);
        Assert.Equal(fixture.GetProperty("method").GetString(), DriftMethods.Name(feature.Method));
        var tolerance = DriftMethods.IsPValue(feature.Method) ? PValueTolerance : StatisticTolerance;
        Near(fixture.Number("score"), feature.Score, tolerance, name);
        Assert.Equal(DriftMethods.DefaultThreshold(feature.Method), feature.Threshold);
        Assert.Equal(DriftMethods.IsDrift(feature.Method, feature.Score, feature.Threshold), feature.Drifted);
        Assert.Equal(NonMissing(fixture, "reference"), feature.ReferenceCount);
        Assert.Equal(NonMissing(fixture, "current"), feature.CurrentCount);
        Assert.Equal(1.0, feature.Histogram.Reference.Sum(), 9);
        Assert.Equal(1.0, feature.Histogram.Current.Sum(), 9);
    }

    [Fact]
    public void Detect_NumericHistogram_UsesSturgesBinsOverBothSides()
    {
        double[] reference = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] current = [5, 6, 7, 8, 9, 10, 11, 12];

        var feature = DriftDetector.Detect([DriftColumn.Numeric("x", reference)], [DriftColumn.Numeric("x", current)], DriftOptions.Default).Features[0];

        // numpy: 16 values over [1, 12] → width 11 / (log2 16 + 1) = 2.2 → 5 bins, the last one closed.
        Assert.Equal(["[1, 3.2)", "[3.2, 5.4)", "[5.4, 7.6)", "[7.6, 9.8)", "[9.8, 12]"], feature.Histogram.Bins);
        Assert.Equal([3 / 8.0, 2 / 8.0, 2 / 8.0, 1 / 8.0, 0], feature.Histogram.Reference);
        Assert.Equal([0, 1 / 8.0, 2 / 8.0, 2 / 8.0, 3 / 8.0], feature.Histogram.Current);
    }

    [Fact]
    public void Detect_CategoricalHistogram_IsTheUnionOfCategoriesInOrdinalOrder()
    {
        var feature = DriftDetector.Detect(
            [DriftColumn.Categorical("c", ["b", "a", null, "a"])],
            [DriftColumn.Categorical("c", ["c", "a"])],
            DriftOptions.Default).Features[0];

        Assert.Equal(["a", "b", "c"], feature.Histogram.Bins);
        Assert.Equal([2 / 3.0, 1 / 3.0, 0], feature.Histogram.Reference);
        Assert.Equal([0.5, 0, 0.5], feature.Histogram.Current);
        Assert.Equal(DriftMethod.ChiSquare, feature.Method);
        Assert.Equal(0, feature.Score);
        Assert.True(feature.Drifted);
    }

    [Fact]
    public void Detect_ExactlyHalfDrifted_IsDatasetDrift_AndFeaturesAreSortedBySeverity()
    {
        var stable = Enumerable.Range(0, 200).Select(i => (double)(i % 50)).ToArray();
        var shifted = Enumerable.Range(0, 200).Select(i => (double)(i % 50) + 30).ToArray();
        DriftColumn[] reference = [DriftColumn.Numeric("a", stable), DriftColumn.Numeric("b", stable), DriftColumn.Numeric("c", stable), DriftColumn.Numeric("d", stable)];
        DriftColumn[] current = [DriftColumn.Numeric("a", stable), DriftColumn.Numeric("b", shifted), DriftColumn.Numeric("c", stable), DriftColumn.Numeric("d", shifted)];

        var report = DriftDetector.Detect(reference, current, DriftOptions.Default);

        Assert.Equal(2, report.DriftedFeatures);
        Assert.Equal(0.5, report.DriftedShare);
        Assert.True(report.DatasetDrift);
        Assert.Equal(["b", "d", "a", "c"], report.Features.Select(f => f.Feature));
        Assert.Equal(200, report.ReferenceRows);

        var stricter = DriftDetector.Detect(reference, current, DriftOptions.Default with { DriftShare = 0.51 });
        Assert.False(stricter.DatasetDrift);
    }

    [Fact]
    public void Detect_PerFeatureOverride_WinsOverTheGlobalChoice()
    {
        var values = Enumerable.Range(0, 300).Select(i => i / 10.0).ToArray();
        var moved = Enumerable.Range(0, 300).Select(i => (i / 10.0) + 1).ToArray();
        var options = DriftOptions.Default with
        {
            Method = DriftMethod.Psi,
            Threshold = 0.5,
            Features = new Dictionary<string, FeatureDriftOverride> { ["x"] = new(DriftMethod.Wasserstein, 0.01), ["y"] = new(Threshold: 0.2) },
        };

        var report = DriftDetector.Detect(
            [DriftColumn.Numeric("x", values), DriftColumn.Numeric("y", values), DriftColumn.Numeric("z", values)],
            [DriftColumn.Numeric("x", moved), DriftColumn.Numeric("y", moved), DriftColumn.Numeric("z", moved)],
            options);

        var x = report.Features.Single(f => f.Feature == "x");
        var y = report.Features.Single(f => f.Feature == "y");
        var z = report.Features.Single(f => f.Feature == "z");
        Assert.Equal((DriftMethod.Wasserstein, 0.01), (x.Method, x.Threshold));
        Assert.Equal((DriftMethod.Psi, 0.2), (y.Method, y.Threshold));
        Assert.Equal((DriftMethod.Psi, 0.5), (z.Method, z.Threshold));
        Assert.True(x.Drifted);
    }

    [Fact]
    public void Detect_MissingAndInfiniteValuesAreDropped()
    {
        double[] reference = [1, 2, double.NaN, 3, double.PositiveInfinity, 4, 5, 6, 7];
        double[] clean = [1, 2, 3, 4, 5, 6, 7];
        double[] current = [2, 3, double.NegativeInfinity, 4, 9, 10, 11];

        var withGaps = DriftDetector.Detect([DriftColumn.Numeric("x", reference)], [DriftColumn.Numeric("x", current)], DriftOptions.Default).Features[0];
        var expected = DriftStatistics.KolmogorovSmirnov(clean, [2, 3, 4, 9, 10, 11]);

        Assert.Equal(DriftMethod.Ks, withGaps.Method);
        Assert.Equal(expected.PValue, withGaps.Score);
        Assert.Equal((7, 6), (withGaps.ReferenceCount, withGaps.CurrentCount));
    }

    [Fact]
    public void Detect_CurrentFeatureMissingFromReference_NamesIt()
    {
        var e = Assert.Throws<ArgumentException>(() => DriftDetector.Detect(
            [DriftColumn.Numeric("age", [1, 2])],
            [DriftColumn.Numeric("age", [1, 2]), DriftColumn.Numeric("income", [3, 4])],
            DriftOptions.Default));

        Assert.Contains("'income'", e.Message, StringComparison.Ordinal);
        Assert.Equal("current", e.ParamName);
    }

    [Fact]
    public void Detect_KindMismatch_NamesTheFeature()
    {
        var e = Assert.Throws<ArgumentException>(() => DriftDetector.Detect(
            [DriftColumn.Numeric("city", [1, 2])], [DriftColumn.Categorical("city", ["a"])], DriftOptions.Default));

        Assert.Contains("'city'", e.Message, StringComparison.Ordinal);
        Assert.Contains("numeric in the reference but categorical", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_ColumnWithOnlyMissingValues_NamesFeatureAndSide()
    {
        var e = Assert.Throws<ArgumentException>(() => DriftDetector.Detect(
            [DriftColumn.Numeric("x", [1, 2])], [DriftColumn.Numeric("x", [double.NaN, double.NaN])], DriftOptions.Default));

        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        Assert.Equal("current", e.ParamName);

        var empty = Assert.Throws<ArgumentException>(() => DriftDetector.Detect(
            [DriftColumn.Categorical("c", [])], [DriftColumn.Categorical("c", ["a"])], DriftOptions.Default));
        Assert.Equal("reference", empty.ParamName);
    }

    [Fact]
    public void Detect_NumericOnlyTestOnCategories_IsRejected()
    {
        var options = DriftOptions.Default with { Features = new Dictionary<string, FeatureDriftOverride> { ["c"] = new(DriftMethod.Ks) } };

        var e = Assert.Throws<ArgumentException>(() => DriftDetector.Detect(
            [DriftColumn.Categorical("c", ["a", "b"])], [DriftColumn.Categorical("c", ["a"])], options));

        Assert.Contains("'c'", e.Message, StringComparison.Ordinal);
        Assert.Contains("ks", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_OverrideForUnknownFeature_IsRejected()
    {
        var options = DriftOptions.Default with { Features = new Dictionary<string, FeatureDriftOverride> { ["typo"] = new(DriftMethod.Psi) } };

        var e = Assert.Throws<ArgumentException>(() => DriftDetector.Detect(
            [DriftColumn.Numeric("x", [1, 2])], [DriftColumn.Numeric("x", [1, 2])], options));

        Assert.Contains("'typo'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, 6, DriftMethod.Ks)]
    [InlineData(1001, 6, DriftMethod.Wasserstein)]
    [InlineData(1000, 5, DriftMethod.ChiSquare)]
    [InlineData(1000, 3, DriftMethod.ChiSquare)]
    [InlineData(1000, 2, DriftMethod.ZTest)]
    [InlineData(1001, 5, DriftMethod.JensenShannon)]
    public void Choose_Numeric_FollowsEvidentlysBoundaries(long rows, long unique, DriftMethod expected) =>
        Assert.Equal(expected, DriftMethods.Choose(FeatureKind.Numeric, rows, unique));

    [Theory]
    [InlineData(1000, 3, DriftMethod.ChiSquare)]
    [InlineData(1000, 2, DriftMethod.ZTest)]
    [InlineData(1000, 50, DriftMethod.ChiSquare)]
    [InlineData(1001, 2, DriftMethod.JensenShannon)]
    public void Choose_Categorical_FollowsEvidentlysBoundaries(long rows, long unique, DriftMethod expected) =>
        Assert.Equal(expected, DriftMethods.Choose(FeatureKind.Categorical, rows, unique));

    [Fact]
    public void RadixSortedColumn_EqualsArraySort()
    {
        var random = new Random(7);
        var values = new double[10_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 97 == 0 ? -0.0 : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20));
        }

        values[5] = double.NaN;
        values[6] = double.NegativeInfinity;
        var expected = values.Where(double.IsFinite).ToArray();
        Array.Sort(expected);

        var sorted = DoubleRadixSort.SortFinite(values);

        Assert.Equal(expected, sorted);
    }

    private static (DriftColumn Reference, DriftColumn Current) Columns(JsonElement fixture)
    {
        var numeric = fixture.GetProperty("kind").GetString() == "numeric";
        return numeric
            ? (DriftColumn.Numeric("f", Numbers(fixture.GetProperty("reference"))), DriftColumn.Numeric("f", Numbers(fixture.GetProperty("current"))))
            : (DriftColumn.Categorical("f", Strings(fixture.GetProperty("reference"))), DriftColumn.Categorical("f", Strings(fixture.GetProperty("current"))));
    }

    private static double[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    private static string?[] Strings(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()).ToArray();

    private static long NonMissing(JsonElement fixture, string side) =>
        fixture.GetProperty(side).EnumerateArray().Count(v => v.ValueKind != JsonValueKind.Null);
}
