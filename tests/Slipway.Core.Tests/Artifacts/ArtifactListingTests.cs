using Slipway.Core.Artifacts;

namespace Slipway.Core.Tests.Artifacts;

public class ArtifactListingTests
{
    private static readonly StoredFile[] Files =
    [
        new("1/run/artifacts/model/MLmodel", "a", 10),
        new("1/run/artifacts/model/model.onnx", "b", 2000),
        new("1/run/artifacts/model/sub/x.txt", "c", 3),
        new("1/run/artifacts/notes.txt", "d", 5),
        new("1/run/artifactsX/other.txt", "e", 1),
    ];

    [Fact]
    public void Lists_direct_children_by_name_with_directories_collapsed()
    {
        var entries = ArtifactListing.Children(Files, "1/run/artifacts");

        Assert.Equal(
            [new ArtifactEntry("model", true, null), new ArtifactEntry("notes.txt", false, 5)],
            entries);
    }

    [Fact]
    public void Lists_the_root()
    {
        var entries = ArtifactListing.Children(Files, string.Empty);

        Assert.Equal([new ArtifactEntry("1", true, null)], entries);
    }

    [Fact]
    public void A_sibling_with_a_common_prefix_is_not_a_child()
    {
        var entries = ArtifactListing.Children(Files, "1/run/artifacts/model");

        Assert.Equal(["MLmodel", "model.onnx", "sub"], entries.Select(e => e.Path));
    }

    [Fact]
    public void Version_paths_split_into_name_version_and_rest()
    {
        Assert.True(ModelArtifactPaths.TryParse("_models/iris/3/model/MLmodel", out var name, out var version, out var rest));
        Assert.Equal(("iris", 3L, "model/MLmodel"), (name, version, rest));
        Assert.False(ModelArtifactPaths.TryParse("_models/iris", out _, out _, out _));
        Assert.False(ModelArtifactPaths.TryParse("_models/iris/zero", out _, out _, out _));
        Assert.True(ModelArtifactPaths.IsVersionPath("_models/iris"));
        Assert.False(ModelArtifactPaths.IsVersionPath("_modelsX/iris"));
    }
}
