using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tests.Search;

public sealed class RunOrderByParserTests
{
    [Fact]
    public void NullOrEmpty_GivesNoTerms()
    {
        Assert.Empty(OrderByParser.ParseRunOrderBy(null));
        Assert.Empty(OrderByParser.ParseRunOrderBy([]));
    }

    [Fact]
    public void Kinds_Directions_AndQuoting()
    {
        var terms = OrderByParser.ParseRunOrderBy(
        [
            "metrics.rmse DESC",
            "params.lr",
            "tags.team asc",
            "attributes.start_time DESC",
            "metrics.`f1 score` DESC",
            "params.\"batch size\"",
            "end_time",
            "tags.mlflow.runName desc",
        ]);

        Assert.Equal(
            [
                new OrderTerm("rmse", true, FilterKeyKind.Metric),
                new OrderTerm("lr", false, FilterKeyKind.Param),
                new OrderTerm("team", false, FilterKeyKind.Tag),
                new OrderTerm("start_time", true),
                new OrderTerm("f1 score", true, FilterKeyKind.Metric),
                new OrderTerm("batch size", false, FilterKeyKind.Param),
                new OrderTerm("end_time", false),
                new OrderTerm("mlflow.runName", true, FilterKeyKind.Tag),
            ],
            terms);
    }

    [Fact]
    public void Created_MeansStartTime() =>
        Assert.Equal([new OrderTerm("start_time", false)], OrderByParser.ParseRunOrderBy(["attributes.created"]));

    [Fact]
    public void SameKeyDifferentKinds_Allowed() =>
        Assert.Equal(2, OrderByParser.ParseRunOrderBy(["metrics.x", "params.x"]).Count);

    [Theory]
    [InlineData("metrics.x SIDEWAYS", "direction must be ASC or DESC, got 'SIDEWAYS'")]
    [InlineData("metrics.my metric", "direction must be ASC or DESC, got 'metric'")]
    [InlineData("metrics.my metric DESC", "could not be parsed")]
    [InlineData("datasets.name", "unknown key type 'datasets'")]
    [InlineData("attributes.lifecycle_stage", "unknown attribute 'lifecycle_stage'")]
    [InlineData("experiment_id", "unknown attribute 'experiment_id'")]
    [InlineData("", "expected 'key'")]
    [InlineData("metrics.``", "the key is empty")]
    public void BadEntries(string entry, string problem)
    {
        var e = Assert.Throws<RegistryException>(() => OrderByParser.ParseRunOrderBy([entry]));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_Rejected()
    {
        var e = Assert.Throws<RegistryException>(() => OrderByParser.ParseRunOrderBy(["metrics.x", "metrics.x DESC"]));

        Assert.Contains("duplicate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiments_AttributesOnly()
    {
        Assert.Equal(
            [new OrderTerm("name", false), new OrderTerm("experiment_id", true), new OrderTerm("creation_time", false), new OrderTerm("last_update_time", true)],
            OrderByParser.ParseExperimentOrderBy(["name", "experiment_id DESC", "attributes.creation_time ASC", "last_update_time desc"]));

        var e = Assert.Throws<RegistryException>(() => OrderByParser.ParseExperimentOrderBy(["tags.x"]));
        Assert.Contains("unknown key type 'tags' (expected 'attributes')", e.Message, StringComparison.Ordinal);
        Assert.Throws<RegistryException>(() => OrderByParser.ParseExperimentOrderBy(["start_time"]));
    }
}
