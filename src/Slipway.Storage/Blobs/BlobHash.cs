using Slipway.Core.Registry;

namespace Slipway.Storage.Blobs;

/// <summary>Validation of blob names: 64 lower-case hex digits of a SHA-256.</summary>
internal static class BlobHash
{
    /// <summary>The hash, lower-cased, or an invalid-parameter error naming it.</summary>
    public static string Require(string? sha256)
    {
        if (sha256 is { Length: 64 } && sha256.All(char.IsAsciiHexDigit))
        {
            return sha256.ToLowerInvariant();
        }

        throw RegistryException.Invalid($"'{sha256}' is not a SHA-256 hex digest (64 hex digits).");
    }

    /// <summary>The relative location of a blob: <c>sha256/ab/abcdef...</c>, sharded by the first two digits.</summary>
    public static string RelativePath(string sha256) => $"sha256/{sha256[..2]}/{sha256}";
}
