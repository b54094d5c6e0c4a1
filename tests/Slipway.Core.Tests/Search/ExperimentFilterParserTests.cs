using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tests.Search;

public sealed class ExperimentFilterParserTests
{
    [Theory]
    [InlineData("name = 'a'", "name", FilterOperator.Equal)]
    [InlineData("attributes.name != 'a'", "name", FilterOperator.NotEqual)]
    [InlineData("attribute.name LIKE 'a'", "name", FilterOperator.Like)]
    [InlineData("attr.name ILIKE 'a'", "name", FilterOperator.ILike)]
    public void Name_StringOperators(string filter, string key, FilterOperator op)
    {
        var clause = Assert.Single(SearchFilterParser.ParseExperimentFilter(filter));

        Assert.Equal((FilterKeyKind.Attribute, key, op, "a"), (clause.Kind, clause.Key, clause.Operator, clause.Values[0]));
    }

    [Theory]
    [InlineData("creation_time > 10", "creation_time", FilterOperator.GreaterThan)]
    [InlineData("attributes.last_update_time <= 10", "last_update_time", FilterOperator.LessThanOrEqual)]
    [InlineData("creation_time = 10", "creation_time", FilterOperator.Equal)]
    public void Times_Comparisons(string filter, string key, FilterOperator op)
    {
        var clause = Assert.Single(SearchFilterParser.ParseExperimentFilter(filter));

        Assert.Equal((FilterKeyKind.Attribute, key, op, "10"), (clause.Kind, clause.Key, clause.Operator, clause.Values[0]));
    }

    [Fact]
    public void Tags()
    {
        var clause = Assert.Single(SearchFilterParser.ParseExperimentFilter("tags.`team name` LIKE 'fr%'"));

        Assert.Equal((FilterKeyKind.Tag, "team name", FilterOperator.Like, "fr%"), (clause.Kind, clause.Key, clause.Operator, clause.Values[0]));
    }

    [Theory]
    [InlineData("metrics.acc > 1", "unknown key type 'metrics' (expected 'attributes' or 'tags')")]
    [InlineData("experiment_id = '1'", "unknown attribute 'experiment_id'")]
    [InlineData("name > 'a'", "not supported for string attribute 'name'")]
    [InlineData("name IN ('a')", "operator IN is not supported for attribute 'name'")]
    [InlineData("creation_time LIKE '1'", "not supported for numeric attribute 'creation_time'")]
    [InlineData("creation_time > '1'", "'creation_time' expects an integer")]
    [InlineData("tags.t < 'a'", "not supported for tags")]
    public void BadInput(string filter, string problem)
    {
        var e = Assert.Throws<RegistryException>(() => SearchFilterParser.ParseExperimentFilter(filter));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
