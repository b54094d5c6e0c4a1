using Slipway.Core.Statistics.Distributions;
using Slipway.Core.Statistics.Drift;
using static Slipway.Core.Tests.Statistics.Drift.DriftFixtures;

namespace Slipway.Core.Tests.Statistics.Drift;

public sealed class DriftStatisticsTests
{
    public static TheoryData<int> KsCases => Indexes("ks");

    public static TheoryData<int> KsPValueCases => Indexes("ks_pvalue");

    public static TheoryData<int> KstwoCases => Indexes("kstwo_sf");

    public static TheoryData<int> ChiSquareCases => Indexes("chisquare");

    public static TheoryData<int> ZCases => Indexes("z");

    public static TheoryData<int> BinnedCases => Indexes("binned");

    public static TheoryData<int> WassersteinCases => Indexes("wasserstein");

    public static TheoryData<int> SturgesCases => Indexes("sturges");

    [Theory]
    [MemberData(nameof(KsCases))]
    public void KolmogorovSmirnov_MatchesScipyKs2samp(int index)
    {
        var fixture = Case("ks", index);
        var name = fixture.GetProperty("name").GetString();

        var (statistic, pValue) = DriftStatistics.KolmogorovSmirnov(fixture.Doubles("reference"), fixture.Doubles("current"));

        Near(fixture.Number("statistic"), statistic, StatisticTolerance, $"{name} statistic");
        Near(fixture.Number("pvalue"), pValue, PValueTolerance, $"{name} p-value");
    }

    [Theory]
    [MemberData(nameof(KsPValueCases))]
    public void KolmogorovSmirnovPValue_MatchesScipyForAGivenStatistic(int index)
    {
        var fixture = Case("ks_pvalue", index);

        var pValue = DriftStatistics.KolmogorovSmirnovPValue(fixture.Number("statistic"), fixture.Integer("n"), fixture.Integer("m"));

        Near(fixture.Number("pvalue"), pValue, PValueTolerance, $"D={fixture.Number("statistic")} n={fixture.Integer("n")} m={fixture.Integer("m")}");
    }

    [Theory]
    [MemberData(nameof(KstwoCases))]
    public void KolmogorovDistributionSurvival_MatchesScipyKstwo(int index)
    {
        var fixture = Case("kstwo_sf", index);

        var survival = KolmogorovDistribution.Survival(fixture.Integer("n"), fixture.Number("x"));

        Near(fixture.Number("sf"), survival, PValueTolerance, $"kstwo.sf({fixture.Number("x")}, {fixture.Integer("n")})");
    }

    [Fact]
    public void WeightedKolmogorovSmirnovStatistic_MatchesWeightedEcdfs()
    {
        var fixture = Case("weighted_ks", 0);

        var statistic = DriftStatistics.KolmogorovSmirnovStatistic(fixture.Doubles("a"), fixture.Doubles("wa"), fixture.Doubles("b"), fixture.Doubles("wb"));

        Near(fixture.Number("statistic"), statistic, StatisticTolerance, "weighted KS");
    }

    [Fact]
    public void WeightedKolmogorovSmirnovStatistic_WithUnitWeights_EqualsTheUnweightedStatistic()
    {
        var fixture = Case("ks", 4);
        var reference = fixture.Doubles("reference");
        var current = fixture.Doubles("current");

        var weighted = DriftStatistics.KolmogorovSmirnovStatistic(reference, Ones(reference.Length), current, Ones(current.Length));

        Near(fixture.Number("statistic"), weighted, StatisticTolerance, "unit weights");
    }

    [Theory]
    [MemberData(nameof(ChiSquareCases))]
    public void ChiSquarePValue_MatchesEvidentlyOnScipy(int index)
    {
        var fixture = Case("chisquare", index);

        var pValue = DriftStatistics.ChiSquarePValue(fixture.Doubles("reference"), fixture.Doubles("current"));

        Near(fixture.Number("pvalue"), pValue, PValueTolerance, $"chi-square case {index}");
    }

    [Fact]
    public void ChiSquarePValue_CategoryUnseenInReference_IsZero() =>
        Assert.Equal(0, DriftStatistics.ChiSquarePValue([10, 0, 5], [10, 1, 5]));

    [Theory]
    [MemberData(nameof(ZCases))]
    public void ZTestPValue_MatchesEvidentlyOnScipy(int index)
    {
        var fixture = Case("z", index);

        var pValue = DriftStatistics.ZTestPValue(fixture.Integer("n1"), fixture.Integer("hits1"), fixture.Integer("n2"), fixture.Integer("hits2"));

        Near(fixture.Number("pvalue"), pValue, PValueTolerance, $"z case {index}");
    }

    [Theory]
    [MemberData(nameof(BinnedCases))]
    public void JensenShannonAndPsi_MatchEvidentlyOnScipy(int index)
    {
        var fixture = Case("binned", index);
        var reference = fixture.Doubles("reference");
        var current = fixture.Doubles("current");

        Near(fixture.Number("jensenshannon"), DriftStatistics.JensenShannon(reference, current), StatisticTolerance, $"JS case {index}");
        Near(fixture.Number("psi"), DriftStatistics.Psi(reference, current), StatisticTolerance, $"PSI case {index}");
    }

    [Theory]
    [MemberData(nameof(WassersteinCases))]
    public void Wasserstein_MatchesScipyAndEvidentlysNorm(int index)
    {
        var fixture = Case("wasserstein", index);
        var u = fixture.Doubles("u");
        var v = fixture.Doubles("v");

        Near(fixture.Number("distance"), DriftStatistics.Wasserstein(u, v), StatisticTolerance, "distance");
        Near(fixture.Number("normed"), DriftStatistics.WassersteinNormed(u, v), StatisticTolerance, "normed");
    }

    [Fact]
    public void WeightedWasserstein_MatchesScipy()
    {
        var fixture = Case("wasserstein_weighted", 0);

        var distance = DriftStatistics.Wasserstein(fixture.Doubles("u"), fixture.Doubles("uw"), fixture.Doubles("v"), fixture.Doubles("vw"));

        Near(fixture.Number("distance"), distance, StatisticTolerance, "weighted distance");
    }

    [Theory]
    [MemberData(nameof(SturgesCases))]
    public void SturgesEdgesAndCounts_MatchNumpy(int index)
    {
        var fixture = Case("sturges", index);
        var expectedEdges = fixture.Doubles("edges");

        var edges = DriftStatistics.SturgesEdges(fixture.Number("minimum"), fixture.Number("maximum"), fixture.Integer("count"));

        Assert.Equal(expectedEdges.Length, edges.Length);
        for (var i = 0; i < edges.Length; i++)
        {
            Near(expectedEdges[i], edges[i], StatisticTolerance, $"edge {i}");
        }

        if (fixture.GetProperty("values").ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            var values = fixture.Doubles("values");
            Array.Sort(values);
            Assert.Equal(fixture.Doubles("counts"), DriftStatistics.HistogramCounts(values, edges));
        }
    }

    [Fact]
    public void SturgesEdges_SingleValue_IsOneUnitBinAroundIt() =>
        Assert.Equal([3.5, 4.5], DriftStatistics.SturgesEdges([4.0, 4.0]));

    [Fact]
    public void BadInputs_AreRejectedWithTheArgumentNamed()
    {
        Assert.Equal("currentCounts", Assert.Throws<ArgumentException>(() => DriftStatistics.ChiSquarePValue([1, 2], [1])).ParamName);
        Assert.Equal("currentCounts", Assert.Throws<ArgumentException>(() => DriftStatistics.Psi([1, 2], [0, 0])).ParamName);
        Assert.Equal("sortedCurrent", Assert.Throws<ArgumentException>(() => DriftStatistics.KolmogorovSmirnov([1.0], [])).ParamName);
        Assert.Equal("sortedU", Assert.Throws<ArgumentException>(() => DriftStatistics.Wasserstein([], [1.0])).ParamName);
        Assert.Equal("weightsA", Assert.Throws<ArgumentException>(() => DriftStatistics.KolmogorovSmirnovStatistic([1.0], [1.0, 2.0], [1.0], [1.0])).ParamName);
        Assert.Equal("statistic", Assert.Throws<ArgumentOutOfRangeException>(() => DriftStatistics.KolmogorovSmirnovPValue(1.5, 10, 10)).ParamName);
        Assert.Equal("referenceHits", Assert.Throws<ArgumentOutOfRangeException>(() => DriftStatistics.ZTestPValue(10, 11, 10, 1)).ParamName);
    }

    private static double[] Ones(int length)
    {
        var ones = new double[length];
        Array.Fill(ones, 1.0);
        return ones;
    }
}
