using Slipway.Core.Statistics.Profiles;
using static Slipway.Core.Tests.Statistics.Profiles.ProfileFixtures;

namespace Slipway.Core.Tests.Statistics.Profiles;

public sealed class CategoricalProfileBuilderTests
{
    [Fact]
    public void Frequencies_Match_Numpy()
    {
        var fixture = Categorical;
        var values = fixture.GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToArray();
        var builder = new CategoricalProfileBuilder();

        builder.Add(values);
        var profile = builder.ToProfile();

        var expected = fixture.GetProperty("categories").EnumerateArray().Select(v => v.GetString()!)
            .Zip(Longs(fixture, "counts"))
            .OrderByDescending(p => p.Second).ThenBy(p => p.First, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(p => p.First), profile.Categories);
        Assert.Equal(expected.Select(p => p.Second), profile.Counts);
        Assert.Equal(fixture.GetProperty("missing").GetInt64(), profile.Missing);
        Assert.Equal(0, profile.Other);
        Assert.Equal(values.Length, profile.Rows);
    }

    [Fact]
    public void Categories_Beyond_The_Cap_Count_As_Other()
    {
        var builder = new CategoricalProfileBuilder(cap: 2);

        builder.Add(["x", "y", "z", "x", "w", "y", null, "z"]);
        var profile = builder.ToProfile();

        Assert.Equal(["x", "y"], profile.Categories);
        Assert.Equal([2L, 2L], profile.Counts);
        Assert.Equal(3, profile.Other);
        Assert.Equal(1, profile.Missing);
        Assert.Equal(7, profile.Count);
    }

    [Fact]
    public void Merge_Adds_Counts_And_Keeps_The_Most_Frequent_Under_The_Cap()
    {
        var a = new CategoricalProfileBuilder();
        a.Add(["x", "x", "y", null]);
        var b = new CategoricalProfileBuilder();
        b.Add(["z", "z", "z", "y"]);

        var merged = CategoricalProfile.Merge(a.ToProfile(), b.ToProfile(), cap: 2);

        Assert.Equal(["z", "x"], merged.Categories);
        Assert.Equal([3L, 2L], merged.Counts);
        Assert.Equal(2, merged.Other);
        Assert.Equal(1, merged.Missing);

        a.Merge(b);
        Assert.Equal(3, a.ToProfile().CountOf("z"));
        Assert.Equal(2, a.ToProfile().CountOf("y"));
    }

    [Fact]
    public void Booleans_Count_As_True_And_False()
    {
        var builder = new CategoricalProfileBuilder();

        builder.Add([true, false, true, true]);

        Assert.Equal((3L, 1L), (builder.ToProfile().CountOf("true"), builder.ToProfile().CountOf("false")));
    }

    [Fact]
    public void Empty_Profile_Has_No_Categories()
    {
        var profile = new CategoricalProfileBuilder().ToProfile();

        Assert.Empty(profile.Categories);
        Assert.Equal((0L, 0L, 0L), (profile.Count, profile.Other, profile.Missing));
    }

    [Fact]
    public void Mismatched_Stored_Values_Are_Refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new CategoricalProfile(["a"], [1L, 2L], 0, 0));

        Assert.Equal("counts", error.ParamName);
    }
}
