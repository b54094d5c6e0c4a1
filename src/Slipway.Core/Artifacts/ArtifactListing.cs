namespace Slipway.Core.Artifacts;

/// <summary>Turns a flat list of files into the entries directly under one directory, as MLflow's list call returns them.</summary>
public static class ArtifactListing
{
    /// <summary>
    /// The files and sub-directories directly under <paramref name="directory"/> (empty for the root), each named by its
    /// last path segment and sorted by name. <paramref name="files"/> carry full paths.
    /// </summary>
    public static IReadOnlyList<ArtifactEntry> Children(IEnumerable<StoredFile> files, string directory)
    {
        var prefix = directory.Length == 0 ? string.Empty : directory + "/";
        var entries = new SortedDictionary<string, ArtifactEntry>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!file.Path.StartsWith(prefix, StringComparison.Ordinal) || file.Path.Length == prefix.Length)
            {
                continue;
            }

            var rest = file.Path[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                entries[rest] = new ArtifactEntry(rest, IsDir: false, file.Size);
            }
            else
            {
                var name = rest[..slash];
                entries.TryAdd(name, new ArtifactEntry(name, IsDir: true, Size: null));
            }
        }

        return [.. entries.Values];
    }
}
