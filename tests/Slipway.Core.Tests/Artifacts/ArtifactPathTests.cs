using Slipway.Core.Artifacts;
using Slipway.Core.Registry;

namespace Slipway.Core.Tests.Artifacts;

public class ArtifactPathTests
{
    [Theory]
    [InlineData("model/MLmodel", "model/MLmodel")]
    [InlineData("a//b/", "a/b")]
    [InlineData("1/run/artifacts/notes/hello.txt", "1/run/artifacts/notes/hello.txt")]
    public void Keeps_relative_paths_and_drops_empty_segments(string path, string expected) =>
        Assert.Equal(expected, ArtifactPath.Normalize(path));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("C:/x")]
    [InlineData("a/./b")]
    [InlineData("a\0b")]
    [InlineData("")]
    public void Rejects_traversal_absolute_and_odd_paths(string path)
    {
        var error = Assert.Throws<RegistryException>(() => ArtifactPath.Normalize(path));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("'path'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_is_allowed_only_when_asked_for() => Assert.Equal(string.Empty, ArtifactPath.Normalize("", allowEmpty: true));
}
