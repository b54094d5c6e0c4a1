using System.Security.Cryptography;
using System.Text;

namespace Slipway.Cli.Lineage;

/// <summary>SHA-256 fingerprints of files and folders, as recorded in <c>slipway.lineage.data.*</c> tags.</summary>
public static class ContentHasher
{
    /// <summary>A file's SHA-256 (lower-case hex) and length in bytes.</summary>
    public static async Task<(string Sha256, long Bytes)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return (Convert.ToHexStringLower(hash), stream.Length);
        }
    }

    /// <summary>
    /// A folder's fingerprint: SHA-256 over the lines <c>relpath\tsha256\n</c> of every file under it, sorted by
    /// relative path (forward slashes, ordinal order), and the total bytes. Renaming, adding, removing or changing any
    /// file changes it; timestamps and the folder's location do not.
    /// </summary>
    public static async Task<(string Sha256, long Bytes)> HashDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(path);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
        var manifest = new StringBuilder();
        long bytes = 0;
        foreach (var (full, relative) in files)
        {
            var (sha256, size) = await HashFileAsync(full, cancellationToken).ConfigureAwait(false);
            manifest.Append(relative).Append('\t').Append(sha256).Append('\n');
            bytes += size;
        }

        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString()))), bytes);
    }
}
