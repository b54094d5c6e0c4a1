using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Core.Tests.Tracking;

public sealed class TrackingValidationTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("a")]
    [InlineData("Run_1-x")]
    public void RunId_Accepted(string runId) => Assert.Equal(runId, TrackingValidation.RunId(runId));

    [Theory]
    [InlineData("-a")]
    [InlineData("_a")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("é")]
    public void RunId_Rejected(string runId)
    {
        var e = Assert.Throws<RegistryException>(() => TrackingValidation.RunId(runId));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("for parameter 'run_id' supplied.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunId_TooLong_Rejected() => Assert.Throws<RegistryException>(() => TrackingValidation.RunId(new string('a', 257)));

    [Fact]
    public void RunId_Missing() =>
        Assert.Equal("Missing value for required parameter 'run_id'.", Assert.Throws<RegistryException>(() => TrackingValidation.RunId(null)).Message);

    [Theory]
    [InlineData("0")]
    [InlineData("123")]
    public void ExperimentId_Accepted(string id) => Assert.Equal(id, TrackingValidation.ExperimentId(id));

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1234567890123456789")]
    public void ExperimentId_Rejected(string id) =>
        Assert.Equal($"Invalid experiment ID: '{id}'", Assert.Throws<RegistryException>(() => TrackingValidation.ExperimentId(id)).Message);

    [Fact]
    public void InvalidKey_MessageQuotesTheValueAsJson()
    {
        var e = Assert.Throws<RegistryException>(() => TrackingValidation.MetricKey("a\"b*é", "metrics[2].key"));

        Assert.StartsWith("Invalid value \"a\\\"b*\\u00e9\" for parameter 'metrics[2].key' supplied: Names may only contain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxResults_Bounds()
    {
        Assert.Equal(1, TrackingValidation.MaxResults(1, 50_000));
        Assert.Equal(50_000, TrackingValidation.MaxResults(50_000, 50_000));
        Assert.Equal("Invalid value for request parameter max_results. It must be at least 1, but got value -1",
            Assert.Throws<RegistryException>(() => TrackingValidation.MaxResults(-1, 50_000)).Message);
    }

    [Fact]
    public void Datasets_RequiredFields()
    {
        var ok = new Dataset("d", "x", "local", "{}", null, null);

        TrackingValidation.DatasetInputs([new DatasetInput(ok, [])]);
        Assert.Equal("Dataset name cannot be None", Assert.Throws<RegistryException>(() => TrackingValidation.DatasetInputs([new DatasetInput(ok with { Name = null! }, [])])).Message);
        Assert.Equal("'name' exceeds the maximum length of 500 characters",
            Assert.Throws<RegistryException>(() => TrackingValidation.DatasetInputs([new DatasetInput(ok with { Name = new string('n', 501) }, [])])).Message);
        Assert.Contains("at most 1000 datasets", Assert.Throws<RegistryException>(() => TrackingValidation.DatasetInputs([.. Enumerable.Repeat(new DatasetInput(ok, []), 1001)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunNames_AreAdjectiveNounNumber_AndSeedable()
    {
        Assert.Equal(RunNameGenerator.Next(new Random(7)), RunNameGenerator.Next(new Random(7)));
        var names = Enumerable.Range(0, 200).Select(_ => RunNameGenerator.Next()).ToList();

        Assert.All(names, n => Assert.Matches("^[a-z]+-[a-z]+-[0-9]{3}$", n));
        Assert.True(names.Distinct().Count() > 150);
    }
}
