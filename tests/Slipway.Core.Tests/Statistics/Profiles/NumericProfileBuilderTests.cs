using Slipway.Core.Statistics.Profiles;
using static Slipway.Core.Tests.Statistics.Profiles.ProfileFixtures;

namespace Slipway.Core.Tests.Statistics.Profiles;

public sealed class NumericProfileBuilderTests
{
    [Theory]
    [MemberData(nameof(ProfileFixtures.NumericCaseNames), MemberType = typeof(ProfileFixtures))]
    public void Profile_On_Reference_Edges_Matches_Numpy(string name)
    {
        var fixture = Numeric(name);
        var builder = new NumericProfileBuilder(Doubles(fixture, "referenceEdges"));

        builder.Add(Doubles(fixture, "current"));
        var profile = builder.ToProfile();

        AssertMatchesFixture(fixture, profile);
    }

    [Theory]
    [MemberData(nameof(ProfileFixtures.NumericCaseNames), MemberType = typeof(ProfileFixtures))]
    public void One_Value_At_A_Time_Matches_Numpy(string name)
    {
        var fixture = Numeric(name);
        var builder = new NumericProfileBuilder(Doubles(fixture, "referenceEdges"));

        foreach (var value in Doubles(fixture, "current"))
        {
            builder.Add(value);
        }

        AssertMatchesFixture(fixture, builder.ToProfile());
    }

    [Theory]
    [MemberData(nameof(ProfileFixtures.NumericCaseNames), MemberType = typeof(ProfileFixtures))]
    public void Merge_Of_Split_Data_Equals_One_Pass(string name)
    {
        var fixture = Numeric(name);
        var edges = Doubles(fixture, "referenceEdges");
        var values = Doubles(fixture, "current");
        var whole = new NumericProfileBuilder(edges);
        whole.Add(values);

        // Uneven parts, one of them empty, merged both as builders and as stored profiles.
        var cuts = new[] { 0, 1, values.Length / 3, values.Length / 3, Math.Max(values.Length / 3, values.Length - 7), values.Length };
        var merged = new NumericProfileBuilder(edges);
        NumericProfile? mergedRecords = null;
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            var part = new NumericProfileBuilder(edges);
            part.Add(values.AsSpan(cuts[i], cuts[i + 1] - cuts[i]));
            merged.Merge(part);
            mergedRecords = mergedRecords is null ? part.ToProfile() : NumericProfile.Merge(mergedRecords, part.ToProfile());
        }

        foreach (var profile in new[] { merged.ToProfile(), mergedRecords! })
        {
            var expected = whole.ToProfile();
            Assert.Equal((expected.Count, expected.Missing, expected.Below, expected.Above), (profile.Count, profile.Missing, profile.Below, profile.Above));
            Assert.Equal(expected.BinCounts, profile.BinCounts);
            Assert.Equal(expected.Min, profile.Min);
            Assert.Equal(expected.Max, profile.Max);
            Close(expected.Mean, profile.Mean);
            Close(expected.Variance, profile.Variance);
            Assert.Equal(expected.Count, profile.SketchWeights.Sum());
            AssertMatchesFixture(fixture, profile);
        }
    }

    [Fact]
    public void Large_Offset_Keeps_The_Variance()
    {
        // 1e9 + noise of 1e-3: a sum-of-squares formula would report 0 or garbage; numpy's variance is about 9.7e-7.
        var fixture = Numeric("large-offset");
        var builder = new NumericProfileBuilder();

        builder.Add(Doubles(fixture, "current"));
        var profile = builder.ToProfile();

        Assert.Equal(fixture.GetProperty("variance").GetDouble(), profile.Variance, 1e-12);
        Close(fixture.GetProperty("mean").GetDouble(), profile.Mean, 1e-15);
        Close(fixture.GetProperty("sampleVariance").GetDouble(), profile.SampleVariance, 1e-6);
    }

    [Fact]
    public void Typed_Spans_Count_Like_Doubles()
    {
        int[] ints = [3, -1, 7, 7, 0, 12, 5];
        var edges = new[] { 0.0, 2.5, 5, 7.5, 10 };
        var fromInts = new NumericProfileBuilder(edges);
        var fromLongs = new NumericProfileBuilder(edges);
        var fromFloats = new NumericProfileBuilder(edges);
        var fromDoubles = new NumericProfileBuilder(edges);

        fromInts.Add(ints);
        fromLongs.Add(ints.Select(i => (long)i).ToArray());
        fromFloats.Add(ints.Select(i => (float)i).Append(float.NaN).ToArray());
        fromDoubles.Add(ints.Select(i => (double)i).ToArray());

        foreach (var profile in new[] { fromInts.ToProfile(), fromLongs.ToProfile(), fromFloats.ToProfile(), fromDoubles.ToProfile() })
        {
            Assert.Equal(7, profile.Count);
            Assert.Equal(new long[] { 1, 1, 3, 0 }, profile.BinCounts);
            Assert.Equal((1L, 1L), (profile.Below, profile.Above));
            Assert.Equal((-1.0, 12.0), (profile.Min, profile.Max));
            Close(33.0 / 7, profile.Mean);
        }

        Assert.Equal(1, fromFloats.ToProfile().Missing);
    }

    [Fact]
    public void Empty_Profile_Has_No_Statistics()
    {
        var builder = new NumericProfileBuilder([0.0, 1, 2]);
        builder.Add([double.NaN, double.NaN]);

        var profile = builder.ToProfile();

        Assert.Equal((0L, 2L, 2L), (profile.Count, profile.Missing, profile.Rows));
        Assert.True(double.IsNaN(profile.Mean) && double.IsNaN(profile.Variance) && double.IsNaN(profile.Min) && double.IsNaN(profile.Max));
        Assert.Equal(new long[] { 0, 0 }, profile.BinCounts);
        Assert.Empty(profile.SketchValues);

        // An empty profile merges away without turning the other's statistics into NaN.
        var other = new NumericProfileBuilder([0.0, 1, 2]);
        other.Add([0.5, 1.5]);
        var merged = NumericProfile.Merge(profile, other.ToProfile());
        Assert.Equal((2L, 2L, 1.0, 0.25, 0.5, 1.5), (merged.Count, merged.Missing, merged.Mean, merged.Variance, merged.Min, merged.Max));
    }

    [Fact]
    public void Without_Edges_There_Is_No_Histogram()
    {
        var builder = new NumericProfileBuilder();
        builder.Add([1.0, 2, 3]);

        var profile = builder.ToProfile();

        Assert.Empty(profile.BinEdges);
        Assert.Empty(profile.BinCounts);
        Assert.Equal((0L, 0L), (profile.Below, profile.Above));
        Assert.Equal(2.0 / 3, profile.Variance, 1e-15);
    }

    [Fact]
    public void Uneven_Edges_Count_By_Search()
    {
        var builder = new NumericProfileBuilder([0.0, 1, 10, 100]);
        builder.Add([0, 0.999, 1, 9.5, 10, 99, 100, 100.5, -0.1]);

        var profile = builder.ToProfile();

        Assert.Equal(new long[] { 2, 2, 3 }, profile.BinCounts);
        Assert.Equal((1L, 1L), (profile.Below, profile.Above));
    }

    [Fact]
    public void Merging_Different_Edges_Is_Refused()
    {
        var a = new NumericProfileBuilder([0.0, 1, 2]);
        var b = new NumericProfileBuilder([0.0, 1, 3]);

        var error = Assert.Throws<ArgumentException>(() => a.Merge(b));

        Assert.Equal("other", error.ParamName);
    }

    [Fact]
    public void Bad_Edges_Are_Refused()
    {
        Assert.Equal("binEdges", Assert.Throws<ArgumentException>(() => new NumericProfileBuilder([1.0])).ParamName);
        Assert.Equal("binEdges", Assert.Throws<ArgumentException>(() => new NumericProfileBuilder([2.0, 1])).ParamName);
        Assert.Equal("binEdges", Assert.Throws<ArgumentException>(() => new NumericProfileBuilder([0.0, double.PositiveInfinity])).ParamName);
    }

    [Fact]
    public void Stored_Profile_Is_Rebuilt_From_Plain_Values()
    {
        var builder = new NumericProfileBuilder([0.0, 1, 2]);
        builder.Add([0.25, 1.5, 1.75, 3, double.NaN]);
        var profile = builder.ToProfile();

        var copy = new NumericProfile(
            profile.Count, profile.Missing, profile.Mean, profile.Variance, profile.Min, profile.Max,
            profile.BinEdges.ToArray(), profile.BinCounts.ToArray(), profile.Below, profile.Above,
            profile.SketchValues.ToArray(), profile.SketchWeights.ToArray());

        Assert.Equal(profile.Quantile(0.5), copy.Quantile(0.5));
        Assert.Throws<ArgumentException>(() => new NumericProfile(1, 0, 0, 0, 0, 0, [0.0, 1], [1L, 2L], 0, 0, [], []));
    }

    private static void AssertMatchesFixture(System.Text.Json.JsonElement fixture, NumericProfile profile)
    {
        Assert.Equal(fixture.GetProperty("count").GetInt64(), profile.Count);
        Assert.Equal(fixture.GetProperty("missing").GetInt64(), profile.Missing);
        Close(NumberOrNaN(fixture, "mean"), profile.Mean);
        Close(NumberOrNaN(fixture, "variance"), profile.Variance);
        Assert.Equal(NumberOrNaN(fixture, "min"), profile.Min);
        Assert.Equal(NumberOrNaN(fixture, "max"), profile.Max);
        Assert.Equal(Longs(fixture, "binCounts"), profile.BinCounts);
        Assert.Equal(fixture.GetProperty("below").GetInt64(), profile.Below);
        Assert.Equal(fixture.GetProperty("above").GetInt64(), profile.Above);
    }
}

internal static class NumericProfileTestExtensions
{
    public static double Quantile(this NumericProfile profile, double q) => profile.ToSketch().Quantile(q);
}
