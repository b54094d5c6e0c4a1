using Slipway.Cli.CommandLine;
using Slipway.Cli.Connection;

namespace Slipway.Cli.Tests.CommandLine;

/// <summary>How the registry address is chosen and parsed (in-process: pure logic, no I/O).</summary>
public sealed class RegistryAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("https://registry.example.com/prefix")]
    [InlineData("HTTP://host:8080")]
    public void Http_urls_are_remote(string value)
    {
        var address = RegistryAddress.Parse(value);
        Assert.True(address.IsRemote);
        Assert.Null(address.Directory);
        Assert.Equal(new Uri(value), address.ServerUri);
    }

    [Fact]
    public void Paths_and_file_uris_are_embedded_directories()
    {
        Assert.Equal(Path.GetFullPath("reg"), RegistryAddress.Parse("reg").Directory);
        var absolute = Path.Combine(Path.GetTempPath(), "registry-x");
        Assert.Equal(absolute, RegistryAddress.Parse(absolute).Directory);
        Assert.Equal(absolute, RegistryAddress.Parse(new Uri(absolute).AbsoluteUri).Directory);
        Assert.False(RegistryAddress.Parse("reg").IsRemote);
    }

    [Theory]
    [InlineData("ftp://host/x")]
    [InlineData("s3://bucket/prefix")]
    [InlineData("databricks://profile")]
    [InlineData("http://")]
    public void Other_schemes_and_malformed_urls_are_rejected_naming_the_value(string value)
    {
        var error = Assert.Throws<CliException>(() => RegistryAddress.Parse(value));
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Option_wins_then_slipway_variable_then_mlflow_variable_then_default()
    {
        var env = new Dictionary<string, string?> { ["SLIPWAY_TRACKING_URI"] = "http://slipway:1", ["MLFLOW_TRACKING_URI"] = "http://mlflow:2" };
        Assert.Equal("option", Path.GetFileName(RegistryAddress.Resolve("option", k => env.GetValueOrDefault(k)).Directory));
        Assert.Equal("slipway", RegistryAddress.Resolve(null, k => env.GetValueOrDefault(k)).ServerUri!.Host);
        env["SLIPWAY_TRACKING_URI"] = " ";
        Assert.Equal("mlflow", RegistryAddress.Resolve(null, k => env.GetValueOrDefault(k)).ServerUri!.Host);
        env.Clear();
        Assert.Equal(Path.GetFullPath(".slipway"), RegistryAddress.Resolve(null, k => env.GetValueOrDefault(k)).Directory);
    }
}
