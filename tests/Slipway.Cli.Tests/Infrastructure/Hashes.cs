using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Cli.Tests.Infrastructure;

/// <summary>Hashes computed by the tests themselves, independently of the product's code.</summary>
public static class Hashes
{
    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Lower-case hex SHA-256 of text (UTF-8).</summary>
    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The lineage fingerprint of a folder: SHA-256 over sorted <c>relpath\tsha256\n</c> lines.</summary>
    public static string OfFolder(string directory) =>
        OfText(string.Concat(Files(directory).Select(f => $"{f.Relative}\t{OfFile(f.Full)}\n")));

    /// <summary>
    /// A version's content digest recomputed from files on disk: SHA-256 over sorted <c>path\tsha256\tsize\n</c> lines.
    /// Equal to the registry's digest only when every byte of every file matches what it stored.
    /// </summary>
    public static string ContentDigest(string directory) =>
        OfText(string.Concat(Files(directory).Select(f =>
            string.Create(CultureInfo.InvariantCulture, $"{f.Relative}\t{OfFile(f.Full)}\t{new FileInfo(f.Full).Length}\n"))));

    /// <summary>The files under a folder with their relative paths (forward slashes), sorted ordinally.</summary>
    public static IReadOnlyList<(string Full, string Relative)> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(directory, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
}
