using Slipway.Cli.CommandLine;
using Slipway.Cli.Registration;

namespace Slipway.Cli.Tests.CommandLine;

/// <summary>Parsing of repeated <c>--tag k=v</c> and <c>--metric k=v</c> values.</summary>
public sealed class KeyValueParserTests
{
    [Fact]
    public void Pairs_split_at_the_first_equals_and_later_keys_win()
    {
        var tags = KeyValueParser.ParsePairs(["team=fraud", "expr=a=b", "team=risk", "empty="], "--tag");
        Assert.Equal("risk", tags["team"]);
        Assert.Equal("a=b", tags["expr"]);
        Assert.Equal(string.Empty, tags["empty"]);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=value")]
    public void Pairs_without_a_key_are_rejected_naming_the_item(string item)
    {
        var error = Assert.Throws<CliException>(() => KeyValueParser.ParsePairs([item], "--tag"));
        Assert.Contains(item, error.Message, StringComparison.Ordinal);
        Assert.Contains("--tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_parse_with_the_invariant_culture()
    {
        var metrics = KeyValueParser.ParseMetrics(["accuracy=0.97", "loss=1e-3", "n=-2"]);
        Assert.Equal(0.97, metrics["accuracy"]);
        Assert.Equal(0.001, metrics["loss"]);
        Assert.Equal(-2, metrics["n"]);
    }

    [Theory]
    [InlineData("accuracy=high")]
    [InlineData("accuracy=0,97")]
    [InlineData("accuracy=NaN")]
    [InlineData("accuracy=")]
    public void Non_numeric_metrics_are_rejected_naming_the_metric(string item)
    {
        var error = Assert.Throws<CliException>(() => KeyValueParser.ParseMetrics([item]));
        Assert.Contains("'accuracy'", error.Message, StringComparison.Ordinal);
    }
}
