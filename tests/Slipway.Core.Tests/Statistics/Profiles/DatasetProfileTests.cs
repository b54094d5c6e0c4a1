using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;
using static Slipway.Core.Tests.Statistics.Profiles.ProfileFixtures;

namespace Slipway.Core.Tests.Statistics.Profiles;

public sealed class DatasetProfileTests
{
    private static readonly DateTimeOffset Hour = new(2024, 6, 5, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(ProfileFixtures.NumericCaseNames), MemberType = typeof(ProfileFixtures))]
    public void Reference_Profile_Has_Numpy_Sturges_Edges_And_Unique_Count(string name)
    {
        var fixture = Numeric(name);
        var reference = Doubles(fixture, "reference");

        var profile = ReferenceProfile.Build([DriftColumn.Numeric(name, reference)]);

        var feature = Assert.Single(profile.Features);
        var expectedEdges = Doubles(fixture, "referenceEdges");
        Assert.Equal(expectedEdges.Length, feature.Numeric!.BinEdges.Count);
        for (var i = 0; i < expectedEdges.Length; i++)
        {
            Close(expectedEdges[i], feature.Numeric.BinEdges[i]);
        }

        Assert.Equal(fixture.GetProperty("referenceUnique").GetInt64(), feature.UniqueCount);
        Assert.Equal(reference.Length, profile.Rows);
        Assert.Equal(reference.Count(double.IsNaN), feature.Missing);

        // Every reference value falls inside its own edges.
        Assert.Equal((0L, 0L), (feature.Numeric.Below, feature.Numeric.Above));
        Assert.Equal(feature.Numeric.Count, feature.Numeric.BinCounts.Sum());
    }

    [Fact]
    public void Builder_Bins_Live_Values_On_The_Reference_Edges()
    {
        var fixture = Numeric("normal");
        var reference = ReferenceProfile.Build(
            [DriftColumn.Numeric("x", Doubles(fixture, "reference")), DriftColumn.Categorical("c", ["a", "b", null])]);
        var builder = new DatasetProfileBuilder(
            [new ProfileFeature("x", FeatureKind.Numeric), new ProfileFeature("c", FeatureKind.Categorical), new ProfileFeature("y", FeatureKind.Numeric)],
            reference);
        var current = Doubles(fixture, "current");

        builder.Numeric(builder.IndexOf("x")).Add(current);
        builder.Categorical("c").Add(["a", "a", null]);
        builder.Numeric("y").Add([1.0, 2.0]);
        builder.AddRows(current.Length);
        var profile = builder.ToProfile(Hour, Hour.AddHours(1));

        Assert.Equal((Hour, Hour.AddHours(1), (long)current.Length), (profile.Start, profile.End, profile.Rows));
        Assert.Equal(Longs(fixture, "binCounts"), profile.Find("x")!.Numeric!.BinCounts);
        Assert.Equal(2, profile.Find("c")!.Categorical!.CountOf("a"));
        Assert.Empty(profile.Find("y")!.Numeric!.BinEdges);
        Assert.Null(profile.Find("x")!.UniqueCount);
        Assert.Equal(-1, builder.IndexOf("nope"));
        Assert.Throws<InvalidOperationException>(() => builder.Numeric(1));
        Assert.Throws<KeyNotFoundException>(() => builder.Categorical("nope"));
    }

    [Fact]
    public void Hourly_Profiles_Merge_Into_The_Window()
    {
        var fixture = Numeric("normal");
        var values = Doubles(fixture, "current");
        var features = new[] { new ProfileFeature("x", FeatureKind.Numeric), new ProfileFeature("c", FeatureKind.Categorical) };
        var edges = Doubles(fixture, "referenceEdges");
        var reference = new DatasetProfile(Hour, Hour, 0, [new FeatureProfile("x", FeatureKind.Numeric, new NumericProfileBuilder(edges).ToProfile(), null)]);
        var hours = new List<DatasetProfile>();
        var builder = new DatasetProfileBuilder(features, reference);
        for (var hour = 0; hour * 800 < values.Length; hour++)
        {
            var part = values.AsSpan(hour * 800, Math.Min(800, values.Length - (hour * 800)));
            builder.Numeric(0).Add(part);
            builder.Categorical(1).Add(hour == 1 ? ["p", "q"] : ["p"]);
            builder.AddRows(part.Length);
            hours.Add(builder.ToProfile(Hour.AddHours(hour), Hour.AddHours(hour + 1)));
            builder.Clear();
        }

        var window = DatasetProfile.Merge(hours)!;

        Assert.Equal((Hour, Hour.AddHours(hours.Count), (long)values.Length), (window.Start, window.End, window.Rows));
        var x = window.Find("x")!.Numeric!;
        Assert.Equal(Longs(fixture, "binCounts"), x.BinCounts);
        Close(fixture.GetProperty("mean").GetDouble(), x.Mean);
        Close(fixture.GetProperty("variance").GetDouble(), x.Variance);
        Assert.Equal(((long)hours.Count, 1L), (window.Find("c")!.Categorical!.CountOf("p"), window.Find("c")!.Categorical!.CountOf("q")));
        Assert.Null(DatasetProfile.Merge([]));
    }

    [Fact]
    public void Features_Only_One_Side_Has_Are_Kept()
    {
        var a = ReferenceProfile.Build([DriftColumn.Numeric("x", [1.0, 2])]);
        var b = ReferenceProfile.Build([DriftColumn.Categorical("c", ["u"])]);

        var merged = DatasetProfile.Merge(a, b);

        Assert.Equal(["x", "c"], merged.Features.Select(f => f.Name));
        Assert.Equal(3, merged.Rows);
    }

    [Fact]
    public void Feature_Profile_Needs_The_Profile_Of_Its_Kind()
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureProfile("x", FeatureKind.Numeric, null, new CategoricalProfileBuilder().ToProfile()));

        Assert.Equal("kind", error.ParamName);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_Features_Are_Refused()
    {
        Assert.Equal("features", Assert.Throws<ArgumentException>(() =>
            new DatasetProfileBuilder([new ProfileFeature("x", FeatureKind.Numeric), new ProfileFeature("x", FeatureKind.Categorical)])).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentException>(() =>
            ReferenceProfile.Build([DriftColumn.Numeric("x", [1.0]), DriftColumn.Numeric("x", [2.0])])).ParamName);
    }

    [Fact]
    public void Reference_Of_Missing_Values_Only_Has_No_Edges()
    {
        var profile = ReferenceProfile.Build([DriftColumn.Numeric("x", [double.NaN, double.NaN])]);

        var feature = Assert.Single(profile.Features);
        Assert.Empty(feature.Numeric!.BinEdges);
        Assert.Equal((0L, 2L, 0L), (feature.Count, feature.Missing, feature.UniqueCount!.Value));
        Assert.Equal(2, profile.Rows);
    }
}
