using System.Globalization;

namespace Slipway.Core.Artifacts;

/// <summary>
/// The read-only artifact tree of registered versions, <c>_models/NAME/VERSION/...</c>: what
/// <c>get-download-uri</c> points MLflow clients at. Model names never contain '/', so the split is unambiguous.
/// </summary>
public static class ModelArtifactPaths
{
    /// <summary>First segment of the tree.</summary>
    public const string Root = "_models";

    /// <summary>The directory of one version, e.g. <c>_models/iris/3</c>.</summary>
    public static string VersionRoot(string name, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"{Root}/{name}/{version}");

    /// <summary>True when a normalized path lies in the tree.</summary>
    public static bool IsVersionPath(string path) =>
        path == Root || path.StartsWith(Root + "/", StringComparison.Ordinal);

    /// <summary>
    /// Splits <c>_models/NAME/VERSION[/rest]</c>; returns false for <c>_models</c> or <c>_models/NAME</c> alone, or a
    /// version that is not a positive number.
    /// </summary>
    public static bool TryParse(string path, out string name, out long version, out string rest)
    {
        name = rest = string.Empty;
        version = 0;
        var parts = path.Split('/', 4);
        if (parts.Length < 3 || parts[0] != Root
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out version) || version < 1)
        {
            return false;
        }

        name = parts[1];
        rest = parts.Length == 4 ? parts[3] : string.Empty;
        return true;
    }
}
