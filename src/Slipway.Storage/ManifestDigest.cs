using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Artifacts;

namespace Slipway.Storage;

/// <summary>
/// The content digest of a model version: lower-case hex SHA-256 over its manifest, one line
/// <c>path\tsha256\tsize\n</c> per file, sorted by path (ordinal). Equal digests mean byte-identical file sets.
/// </summary>
public static class ManifestDigest
{
    /// <summary>Computes the digest of a set of files; the order of <paramref name="files"/> does not matter.</summary>
    public static string Compute(IEnumerable<StoredFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{file.Path}\t{file.Sha256}\t{file.Size}\n")));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
