using Slipway.Core.Registry;

namespace Slipway.Core.Tests.Registry;

public class RegistryValidationTests
{
    [Theory]
    [InlineData("champion")]
    [InlineData("prod-2024_b")]
    [InlineData("V")]
    public void Accepts_aliases_of_word_characters(string alias) => Assert.Equal(alias, RegistryValidation.Alias(alias));

    [Theory]
    [InlineData("latest")]
    [InlineData("v3")]
    [InlineData("V12")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Rejects_reserved_and_malformed_aliases(string alias)
    {
        var error = Assert.Throws<RegistryException>(() => RegistryValidation.Alias(alias));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a@b")]
    [InlineData(" padded")]
    [InlineData("tab\there")]
    public void Rejects_model_names_that_break_model_uris(string name)
    {
        var error = Assert.Throws<RegistryException>(() => RegistryValidation.ModelName(name));

        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_name_says_which_parameter_is_missing()
    {
        var error = Assert.Throws<RegistryException>(() => RegistryValidation.ModelName(null));

        Assert.Equal("Missing value for required parameter 'name'.", error.Message);
    }

    [Fact]
    public void Rejects_names_over_the_length_limit() =>
        Assert.Throws<RegistryException>(() => RegistryValidation.ModelName(new string('m', RegistryValidation.MaxNameLength + 1)));

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("42", 42L)]
    public void Parses_textual_versions(string text, long expected) => Assert.Equal(expected, RegistryValidation.Version(text));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1.5")]
    [InlineData("one")]
    [InlineData(" 2")]
    public void Rejects_versions_that_are_not_positive_integers(string text)
    {
        var error = Assert.Throws<RegistryException>(() => RegistryValidation.Version(text));

        Assert.Contains("'version'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_tag_keys_and_values_over_the_limits()
    {
        Assert.Throws<RegistryException>(() => RegistryValidation.Tag(new string('k', 251), "v"));
        Assert.Throws<RegistryException>(() => RegistryValidation.Tag("k", new string('v', RegistryValidation.MaxTagValueLength + 1)));
        RegistryValidation.Tag(new string('k', 250), new string('v', RegistryValidation.MaxTagValueLength));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Rejects_page_sizes_out_of_range(int size)
    {
        var error = Assert.Throws<RegistryException>(() => RegistryValidation.MaxResults(size, 1000));

        Assert.Contains("'max_results'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slipway.lineage.git_commit", true)]
    [InlineData("slipway.metric.accuracy", true)]
    [InlineData("slipway.owner", false)]
    [InlineData("team", false)]
    public void Lineage_and_metric_tags_are_protected(string key, bool expected) =>
        Assert.Equal(expected, ProtectedTags.IsProtected(key));
}
