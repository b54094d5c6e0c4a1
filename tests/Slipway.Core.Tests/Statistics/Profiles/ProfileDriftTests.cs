using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;

namespace Slipway.Core.Tests.Statistics.Profiles;

/// <summary>Drift from profiles against the exact tests on the raw values (<see cref="DriftDetector"/>).</summary>
public sealed class ProfileDriftTests
{
    private static readonly DateTimeOffset Start = new(2024, 6, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Small_Samples_Give_Exactly_The_Raw_Kolmogorov_Smirnov_P_Value()
    {
        // Up to 1,023 reference values and 199 current ones both sketches keep every value: nothing is approximated.
        var reference = Normal(1, 800, 0, 1);
        var current = Normal(2, 150, 0.3, 1);

        var fromProfiles = Single(Compare([DriftColumn.Numeric("x", reference)], [DriftColumn.Numeric("x", current)]));
        var exact = DriftDetector.DetectFeature(DriftColumn.Numeric("x", reference), DriftColumn.Numeric("x", current), DriftOptions.Default);

        Assert.Equal(DriftMethod.Ks, fromProfiles.Method);
        Assert.Equal(exact.Method, fromProfiles.Method);
        Assert.Equal(exact.Score, fromProfiles.Score, 1e-9);
        Assert.Equal(exact.Drifted, fromProfiles.Drifted);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.5, true)]
    public void Large_Samples_Approximate_Wasserstein_And_Keep_The_Decision(double shift, bool drifted)
    {
        var reference = Normal(3, 50_000, 10, 2);
        var current = Normal(4, 60_000, 10 + (shift * 2), 2);

        var fromProfiles = Single(Compare([DriftColumn.Numeric("x", reference)], [DriftColumn.Numeric("x", current)]));
        var exact = DriftDetector.DetectFeature(DriftColumn.Numeric("x", reference), DriftColumn.Numeric("x", current), DriftOptions.Default);

        Assert.Equal(DriftMethod.Wasserstein, fromProfiles.Method);
        Assert.InRange(fromProfiles.Score, exact.Score - 0.02, exact.Score + 0.02);
        Assert.Equal(drifted, exact.Drifted);
        Assert.Equal(drifted, fromProfiles.Drifted);
        Assert.Equal((50_000L, 60_000L), (fromProfiles.ReferenceCount, fromProfiles.CurrentCount));
    }

    [Fact]
    public void Large_Samples_Approximate_The_Kolmogorov_Smirnov_Statistic()
    {
        var reference = Normal(5, 50_000, 0, 1);
        var current = Normal(6, 40_000, 0.02, 1);

        var a = ReferenceProfile.Build([DriftColumn.Numeric("x", reference)], sketchK: QuantileSketch.DefaultK).Features[0].Numeric!;
        var b = Live(ReferenceProfile.Build([DriftColumn.Numeric("x", reference)]), "x", current).Features[0].Numeric!;
        var statistic = DriftStatistics.KolmogorovSmirnovStatistic(
            a.SketchValues.ToArray(), a.SketchWeights.Select(w => (double)w).ToArray(), b.SketchValues.ToArray(), b.SketchWeights.Select(w => (double)w).ToArray());
        var exact = DriftStatistics.KolmogorovSmirnov(reference.Order().ToArray(), current.Order().ToArray()).Statistic;

        Assert.InRange(statistic, exact - 0.02, exact + 0.02);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.3, true)]
    public void Kolmogorov_Smirnov_Of_A_Small_Reference_And_A_Large_Window_Keeps_The_Decision(double shift, bool drifted)
    {
        // Where Evidently picks the test: a reference of at most 1,000 values (kept exactly) against a day of traffic.
        var reference = Normal(33, 1_000, 0, 1);
        var current = Normal(34, 50_000, shift, 1);

        var fromProfiles = Single(Compare([DriftColumn.Numeric("x", reference)], [DriftColumn.Numeric("x", current)]));
        var exact = DriftDetector.DetectFeature(DriftColumn.Numeric("x", reference), DriftColumn.Numeric("x", current), DriftOptions.Default);

        Assert.Equal((DriftMethod.Ks, DriftMethod.Ks), (exact.Method, fromProfiles.Method));
        Assert.Equal(drifted, exact.Drifted);
        Assert.Equal(drifted, fromProfiles.Drifted);
    }

    [Theory]
    [InlineData(DriftMethod.JensenShannon, 0.0, false)]
    [InlineData(DriftMethod.JensenShannon, 1.0, true)]
    [InlineData(DriftMethod.Psi, 0.0, false)]
    [InlineData(DriftMethod.Psi, 1.0, true)]
    public void Binned_Numbers_On_Reference_Edges_Keep_The_Decision(DriftMethod method, double shift, bool drifted)
    {
        var reference = Normal(7, 20_000, 0, 1);
        var current = Normal(8, 20_000, shift, 1);
        var options = DriftOptions.Default with { Method = method };

        var fromProfiles = Single(Compare([DriftColumn.Numeric("x", reference)], [DriftColumn.Numeric("x", current)], options));
        var exact = DriftDetector.DetectFeature(DriftColumn.Numeric("x", reference), DriftColumn.Numeric("x", current), options);

        Assert.Equal(drifted, exact.Drifted);
        Assert.Equal(drifted, fromProfiles.Drifted);
        Assert.InRange(fromProfiles.Score, exact.Score * 0.5, (exact.Score * 2) + 0.01);

        // Reference and current shares over the same bins, values past the reference's edges included.
        Assert.Equal(1.0, fromProfiles.Histogram.Reference.Sum(), 1e-9);
        Assert.Equal(1.0, fromProfiles.Histogram.Current.Sum(), 1e-9);
        Assert.Equal(fromProfiles.Histogram.Bins.Count, fromProfiles.Histogram.Current.Count);
    }

    [Theory]
    [InlineData(DriftMethod.ChiSquare)]
    [InlineData(DriftMethod.ZTest)]
    [InlineData(DriftMethod.JensenShannon)]
    [InlineData(DriftMethod.Psi)]
    public void Categories_Give_Exactly_The_Raw_Scores(DriftMethod method)
    {
        var reference = Categories(9, 900, ["b", "a", "c", "d"], [0.4, 0.3, 0.2, 0.1]);
        var current = Categories(10, 700, ["a", "b", "c", "e"], [0.35, 0.35, 0.2, 0.1]);
        var options = DriftOptions.Default with { Method = method };

        var fromProfiles = Single(Compare([DriftColumn.Categorical("c", reference)], [DriftColumn.Categorical("c", current)], options));
        var exact = DriftDetector.DetectFeature(DriftColumn.Categorical("c", reference), DriftColumn.Categorical("c", current), options);

        Assert.Equal(exact.Score, fromProfiles.Score, 1e-9);
        Assert.Equal(exact.Histogram.Bins, fromProfiles.Histogram.Bins);
        Assert.Equal(exact.Histogram.Current, fromProfiles.Histogram.Current);
    }

    [Fact]
    public void Automatic_Choice_Follows_Evidently()
    {
        var reference = new[]
        {
            DriftColumn.Numeric("many", Normal(11, 500, 0, 1)),
            DriftColumn.Numeric("few", Normal(12, 500, 0, 1).Select(v => Math.Round(Math.Abs(v))).Select(v => Math.Min(v, 2)).ToArray()),
            DriftColumn.Categorical("two", Categories(13, 500, ["y", "n"], [0.5, 0.5])),
            DriftColumn.Numeric("big", Normal(14, 5_000, 0, 1)),
            DriftColumn.Categorical("bigc", Categories(15, 5_000, ["p", "q", "r"], [0.5, 0.3, 0.2])),
        };
        var current = new[]
        {
            DriftColumn.Numeric("many", Normal(16, 300, 0, 1)),
            DriftColumn.Numeric("few", Normal(17, 300, 0, 1).Select(v => Math.Round(Math.Abs(v))).Select(v => Math.Min(v, 2)).ToArray()),
            DriftColumn.Categorical("two", Categories(18, 300, ["y", "n"], [0.5, 0.5])),
            DriftColumn.Numeric("big", Normal(19, 3_000, 0, 1)),
            DriftColumn.Categorical("bigc", Categories(20, 3_000, ["p", "q", "r"], [0.5, 0.3, 0.2])),
        };

        var fromProfiles = Compare(reference, current).Features.ToDictionary(f => f.Feature, f => f.Method);
        var exact = DriftDetector.Detect(reference, current, DriftOptions.Default).Features.ToDictionary(f => f.Feature, f => f.Method);

        Assert.Equal(exact, fromProfiles);
        Assert.Equal(
            new Dictionary<string, DriftMethod>
            {
                ["many"] = DriftMethod.Ks, ["few"] = DriftMethod.ChiSquare, ["two"] = DriftMethod.ZTest,
                ["big"] = DriftMethod.Wasserstein, ["bigc"] = DriftMethod.JensenShannon,
            },
            fromProfiles);
    }

    [Fact]
    public void Few_Distinct_Numbers_Give_The_Raw_Chi_Square_And_Z()
    {
        // Each distinct value sits in a bin of its own, so bins and value counts coincide.
        var reference = Normal(21, 600, 0, 1).Select(v => Math.Min(Math.Round(Math.Abs(v)), 2)).ToArray();
        var current = Normal(22, 400, 0.4, 1).Select(v => Math.Min(Math.Round(Math.Abs(v)), 2)).ToArray();
        foreach (var method in new[] { DriftMethod.ChiSquare, DriftMethod.ZTest })
        {
            var options = DriftOptions.Default with { Method = method };

            var fromProfiles = Single(Compare([DriftColumn.Numeric("x", reference)], [DriftColumn.Numeric("x", current)], options));
            var exact = DriftDetector.DetectFeature(DriftColumn.Numeric("x", reference), DriftColumn.Numeric("x", current), options);

            Assert.Equal(exact.Score, fromProfiles.Score, 1e-9);
        }
    }

    [Fact]
    public void Report_Sorts_By_Severity_And_Decides_Dataset_Drift()
    {
        var reference = new[]
        {
            DriftColumn.Numeric("stable", Normal(23, 5_000, 0, 1)),
            DriftColumn.Numeric("shifted", Normal(24, 5_000, 0, 1)),
            DriftColumn.Numeric("empty", [double.NaN, 1, 2]),
        };
        var current = new[]
        {
            DriftColumn.Numeric("stable", Normal(25, 5_000, 0, 1)),
            DriftColumn.Numeric("shifted", Normal(26, 5_000, 3, 1)),
            DriftColumn.Numeric("empty", [double.NaN]),
        };

        var report = Compare(reference, current);

        Assert.Equal(["shifted", "stable"], report.Features.Select(f => f.Feature));
        Assert.Equal(1, report.DriftedFeatures);
        Assert.True(report.DatasetDrift);
        Assert.Equal((5_000L, 5_000L), (report.ReferenceRows, report.CurrentRows));
        Assert.False(ProfileDrift.Compare(ReferenceProfile.Build(reference), ReferenceProfile.Build(current), DriftOptions.Default with { DriftShare = 0.6 }).DatasetDrift);
    }

    [Fact]
    public void Per_Feature_Overrides_Win()
    {
        var reference = ReferenceProfile.Build([DriftColumn.Numeric("x", Normal(27, 5_000, 0, 1))]);
        var current = Live(reference, "x", Normal(28, 5_000, 0.05, 1));
        var options = DriftOptions.Default with
        {
            Method = DriftMethod.Psi,
            Features = new Dictionary<string, FeatureDriftOverride> { ["x"] = new(DriftMethod.Wasserstein, 0.01) },
        };

        var feature = Single(ProfileDrift.Compare(reference, current, options));

        Assert.Equal((DriftMethod.Wasserstein, 0.01), (feature.Method, feature.Threshold));
        Assert.True(feature.Drifted);
    }

    [Fact]
    public void Window_Of_Hourly_Profiles_Equals_The_Whole_Window()
    {
        var raw = Normal(29, 12_000, 0.2, 1);
        var reference = ReferenceProfile.Build([DriftColumn.Numeric("x", Normal(30, 3_000, 0, 1))]);
        var hours = Enumerable.Range(0, 4).Select(h => Live(reference, "x", raw.AsSpan(h * 3_000, 3_000).ToArray(), h)).ToList();

        var window = DatasetProfile.Merge(hours)!;
        var options = DriftOptions.Default with { Method = DriftMethod.Psi };
        var fromWindow = Single(ProfileDrift.Compare(reference, window, options));
        var fromWhole = Single(ProfileDrift.Compare(reference, Live(reference, "x", raw), options));

        Assert.Equal(fromWhole.Score, fromWindow.Score, 1e-12);
        Assert.Equal((Start, Start.AddHours(4)), (window.Start, window.End));
    }

    [Fact]
    public void Profiles_Without_A_Histogram_Are_Binned_From_Their_Sketches()
    {
        var referenceValues = Normal(31, 5_000, 0, 1);
        var currentValues = Normal(32, 5_000, 1, 1);
        var reference = Unbinned("x", referenceValues);
        var current = Unbinned("x", currentValues);
        var options = DriftOptions.Default with { Method = DriftMethod.JensenShannon };

        var feature = Single(ProfileDrift.Compare(reference, current, options));
        var exact = DriftDetector.DetectFeature(DriftColumn.Numeric("x", referenceValues), DriftColumn.Numeric("x", currentValues), options);

        Assert.True(feature.Drifted);
        Assert.InRange(feature.Score, exact.Score - 0.05, exact.Score + 0.05);
    }

    [Fact]
    public void Mismatched_Features_Are_Refused()
    {
        var reference = ReferenceProfile.Build([DriftColumn.Categorical("x", ["a", "b"])]);
        var numeric = ReferenceProfile.Build([DriftColumn.Numeric("x", [1.0, 2.0])]);

        var kind = Assert.Throws<ArgumentException>(() => ProfileDrift.Compare(reference, numeric, DriftOptions.Default));
        var ks = Assert.Throws<ArgumentException>(() => ProfileDrift.Compare(reference, reference, DriftOptions.Default with { Method = DriftMethod.Ks }));
        var threshold = Assert.Throws<ArgumentException>(() => ProfileDrift.Compare(reference, reference, DriftOptions.Default with { Threshold = 2 }));

        Assert.Equal("current", kind.ParamName);
        Assert.Contains("'x'", kind.Message, StringComparison.Ordinal);
        Assert.Equal("options", ks.ParamName);
        Assert.Contains("ks", ks.Message, StringComparison.Ordinal);
        Assert.Equal("options", threshold.ParamName);
    }

    [Fact]
    public void Categories_Beyond_The_Cap_Are_One_More_Bin()
    {
        var reference = ReferenceProfile.Build([DriftColumn.Categorical("c", ["a", "b", "c", "a"])], categoryCap: 2);

        var feature = Single(ProfileDrift.Compare(reference, reference, DriftOptions.Default with { Method = DriftMethod.ChiSquare }));

        Assert.Equal(["a", "b", ProfileDrift.OtherCategory], feature.Histogram.Bins);
        Assert.Equal([0.5, 0.25, 0.25], feature.Histogram.Reference);
        Assert.Equal(1.0, feature.Score, 1e-12);
    }

    private static DriftReport Compare(DriftColumn[] reference, DriftColumn[] current, DriftOptions? options = null)
    {
        var referenceProfile = ReferenceProfile.Build(reference);
        var builder = new DatasetProfileBuilder(reference.Select(c => new ProfileFeature(c.Name, c.Kind)).ToArray(), referenceProfile);
        foreach (var column in current)
        {
            if (column.Kind == FeatureKind.Numeric)
            {
                builder.Numeric(column.Name).Add(column.Numbers);
            }
            else
            {
                builder.Categorical(column.Name).Add(column.Categories);
            }
        }

        builder.AddRows(current.Max(c => c.Length));
        return ProfileDrift.Compare(referenceProfile, builder.ToProfile(Start, Start.AddHours(1)), options ?? DriftOptions.Default);
    }

    private static DatasetProfile Live(DatasetProfile reference, string name, double[] values, int hour = 0)
    {
        var builder = new DatasetProfileBuilder([new ProfileFeature(name, FeatureKind.Numeric)], reference);
        builder.Numeric(0).Add(values);
        builder.AddRows(values.Length);
        return builder.ToProfile(Start.AddHours(hour), Start.AddHours(hour + 1));
    }

    private static DatasetProfile Unbinned(string name, double[] values)
    {
        var builder = new DatasetProfileBuilder([new ProfileFeature(name, FeatureKind.Numeric)]);
        builder.Numeric(0).Add(values);
        builder.AddRows(values.Length);
        return builder.ToProfile(Start, Start.AddHours(1));
    }

    private static FeatureDrift Single(DriftReport report) => Assert.Single(report.Features);

    private static double[] Normal(int seed, int count, double mean, double deviation)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = mean + (deviation * normal);
        }

        return values;
    }

    private static string?[] Categories(int seed, int count, string[] names, double[] shares)
    {
        var random = new Random(seed);
        var values = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            var k = 0;
            while (k < names.Length - 1 && u >= shares[k])
            {
                u -= shares[k];
                k++;
            }

            values[i] = i % 50 == 0 ? null : names[k];
        }

        return values;
    }
}
