using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tests.Search;

public sealed class OrderByParserTests
{
    private static readonly IReadOnlySet<string> ModelKeys = new HashSet<string> { "name", "creation_timestamp", "last_updated_timestamp" };

    [Fact]
    public void Parse_NullOrEmpty_GivesNoTerms()
    {
        Assert.Empty(OrderByParser.Parse(null, ModelKeys));
        Assert.Empty(OrderByParser.Parse([], ModelKeys));
    }

    [Fact]
    public void Parse_KeysAndDirections()
    {
        var terms = OrderByParser.Parse(["name", "last_updated_timestamp DESC", "attributes.creation_timestamp  asc"], ModelKeys);

        Assert.Equal(
            [new OrderTerm("name", false), new OrderTerm("last_updated_timestamp", true), new OrderTerm("creation_timestamp", false)],
            terms);
    }

    [Fact]
    public void Parse_Timestamp_MeansLastUpdated()
    {
        Assert.Equal([new OrderTerm("last_updated_timestamp", true)], OrderByParser.Parse(["timestamp desc"], ModelKeys));
    }

    [Theory]
    [InlineData("version_number", "unknown key")]
    [InlineData("name SIDEWAYS", "direction must be ASC or DESC")]
    [InlineData("name ASC extra", "expected 'key'")]
    [InlineData("", "expected 'key'")]
    public void Parse_BadEntries_ThrowInvalid(string entry, string problem)
    {
        var e = Assert.Throws<RegistryException>(() => OrderByParser.Parse([entry], ModelKeys));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKey_ThrowsInvalid()
    {
        var e = Assert.Throws<RegistryException>(() => OrderByParser.Parse(["name ASC", "name DESC"], ModelKeys));

        Assert.Contains("duplicate", e.Message, StringComparison.Ordinal);
    }
}
