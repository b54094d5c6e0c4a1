using Slipway.Core.Registry;

namespace Slipway.Core.Tests.Registry;

public class ModelUriTests
{
    [Theory]
    [InlineData("models:/iris/3", "iris", 3L, null)]
    [InlineData("models:/iris@champion", "iris", null, "champion")]
    [InlineData("models:/adult income/12", "adult income", 12L, null)]
    [InlineData("models:///iris/1/", "iris", 1L, null)]
    public void Parses_version_and_alias_forms(string text, string name, long? version, string? alias)
    {
        var uri = ModelUri.Parse(text);

        Assert.Equal(new ModelUri(name, version, alias), uri);
    }

    [Theory]
    [InlineData("models:/iris/3")]
    [InlineData("models:/iris@champion")]
    public void Round_trips_through_text(string text) => Assert.Equal(text, ModelUri.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("iris/3")]
    [InlineData("models:/iris")]
    [InlineData("models:/iris/0")]
    [InlineData("models:/iris/-1")]
    [InlineData("models:/iris/latest")]
    [InlineData("models:/iris@")]
    [InlineData("runs:/abc/model")]
    public void Rejects_malformed_uris_naming_them(string text)
    {
        var error = Assert.Throws<RegistryException>(() => ModelUri.Parse(text));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }
}
