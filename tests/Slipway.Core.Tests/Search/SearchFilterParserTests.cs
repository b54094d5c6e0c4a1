using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tests.Search;

public sealed class SearchFilterParserTests
{
    private static readonly IReadOnlySet<string> VersionAttributes =
        new HashSet<string> { "name", "version_number", "run_id", "source_path" };

    private static FilterClause Single(string filter) => Assert.Single(SearchFilterParser.Parse(filter, VersionAttributes));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Blank_GivesNoClauses(string? filter) => Assert.Empty(SearchFilterParser.Parse(filter, VersionAttributes));

    [Theory]
    [InlineData("name = 'iris'", FilterOperator.Equal)]
    [InlineData("name != 'iris'", FilterOperator.NotEqual)]
    [InlineData("name LIKE 'iris'", FilterOperator.Like)]
    [InlineData("name like 'iris'", FilterOperator.Like)]
    [InlineData("name ILIKE 'iris'", FilterOperator.ILike)]
    [InlineData("name='iris'", FilterOperator.Equal)]
    [InlineData("attributes.name = \"iris\"", FilterOperator.Equal)]
    [InlineData("`name` = 'iris'", FilterOperator.Equal)]
    public void Parse_StringAttributeOperators(string filter, FilterOperator op)
    {
        var clause = Single(filter);

        Assert.Equal(new FilterClause(FilterKeyKind.Attribute, "name", op, ["iris"]), clause with { Values = [.. clause.Values] }, ClauseComparer.Instance);
    }

    [Theory]
    [InlineData("version_number = 3", FilterOperator.Equal)]
    [InlineData("version_number != 3", FilterOperator.NotEqual)]
    [InlineData("version_number < 3", FilterOperator.LessThan)]
    [InlineData("version_number <= 3", FilterOperator.LessThanOrEqual)]
    [InlineData("version_number > 3", FilterOperator.GreaterThan)]
    [InlineData("version_number >= 3", FilterOperator.GreaterThanOrEqual)]
    [InlineData("version_number >= '3'", FilterOperator.GreaterThanOrEqual)]
    public void Parse_NumericAttributeOperators(string filter, FilterOperator op)
    {
        var clause = Single(filter);

        Assert.Equal(FilterKeyKind.Attribute, clause.Kind);
        Assert.Equal("version_number", clause.Key);
        Assert.Equal(op, clause.Operator);
        Assert.Equal(["3"], clause.Values);
    }

    [Fact]
    public void Parse_Tags_PlainBackquotedAndDotted()
    {
        var clauses = SearchFilterParser.Parse(
            "tags.team = 'fraud' AND tags.`key with spaces` LIKE 'a%' and tag.slipway.lineage.data ILIKE \"x\"", VersionAttributes);

        Assert.Equal(3, clauses.Count);
        Assert.Equal((FilterKeyKind.Tag, "team", FilterOperator.Equal, "fraud"), (clauses[0].Kind, clauses[0].Key, clauses[0].Operator, clauses[0].Values[0]));
        Assert.Equal((FilterKeyKind.Tag, "key with spaces", FilterOperator.Like, "a%"), (clauses[1].Kind, clauses[1].Key, clauses[1].Operator, clauses[1].Values[0]));
        Assert.Equal((FilterKeyKind.Tag, "slipway.lineage.data", FilterOperator.ILike, "x"), (clauses[2].Kind, clauses[2].Key, clauses[2].Operator, clauses[2].Values[0]));
    }

    [Fact]
    public void Parse_InAndNotIn_Lists()
    {
        var clauses = SearchFilterParser.Parse("run_id IN ('a', \"b\",'c') AND name NOT IN ('x')", VersionAttributes);

        Assert.Equal(FilterOperator.In, clauses[0].Operator);
        Assert.Equal(["a", "b", "c"], clauses[0].Values);
        Assert.Equal(FilterOperator.NotIn, clauses[1].Operator);
        Assert.Equal(["x"], clauses[1].Values);
    }

    [Fact]
    public void Parse_QuotesInsideValues()
    {
        Assert.Equal("it's", Single("name = 'it''s'").Values[0]);
        Assert.Equal("say \"hi\"", Single("name = 'say \"hi\"'").Values[0]);
        Assert.Equal("a AND b", Single("name = 'a AND b'").Values[0]);
    }

    [Theory]
    [InlineData("foo = 'x'", "unknown attribute 'foo'")]
    [InlineData("name = ", "expected a value")]
    [InlineData("name 'x'", "expected an operator")]
    [InlineData("name = 'x", "unterminated")]
    [InlineData("name = x", "expected a quoted string or a number")]
    [InlineData("name = 3", "expected a quoted string value for 'name'")]
    [InlineData("name = 'a' OR name = 'b'", "expected AND")]
    [InlineData("name = 'a' AND", "expected a key")]
    [InlineData("version_number = 'three'", "expects an integer")]
    [InlineData("version_number LIKE '3%'", "not supported for numeric attribute")]
    [InlineData("name > 'a'", "not supported for string attribute")]
    [InlineData("tags.k IN ('a')", "not supported for tags")]
    [InlineData("run_id IN 'a'", "parenthesized list")]
    [InlineData("run_id IN ('a' 'b')", "expected ',' or ')'")]
    [InlineData("run_id NOT LIKE 'a'", "expected IN after NOT")]
    [InlineData("metrics.acc > 1", "unknown key type 'metrics'")]
    public void Parse_BadInput_ThrowsInvalidNamingTheProblem(string filter, string problem)
    {
        var e = Assert.Throws<RegistryException>(() => SearchFilterParser.Parse(filter, VersionAttributes));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.StartsWith($"Invalid filter '{filter}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private sealed class ClauseComparer : IEqualityComparer<FilterClause>
    {
        public static readonly ClauseComparer Instance = new();

        public bool Equals(FilterClause? x, FilterClause? y) =>
            x is not null && y is not null && x.Kind == y.Kind && x.Key == y.Key && x.Operator == y.Operator && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(FilterClause obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
