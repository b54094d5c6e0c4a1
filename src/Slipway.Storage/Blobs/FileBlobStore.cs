using System.Buffers;
using System.Security.Cryptography;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;

namespace Slipway.Storage.Blobs;

/// <summary>
/// Blobs as files under a directory: <c>DIR/sha256/ab/abcdef...</c>. A write streams to <c>DIR/tmp</c> while
/// hashing, fsyncs, then renames into place, so readers never see a partial blob. Temporary files left by a crash
/// are deleted when the store opens (files still being written by another process are locked and kept).
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    /// <summary>Size of the copy buffers: 1 MiB, large enough that system calls do not limit throughput.</summary>
    public const int BufferSize = 1 << 20;

    private readonly string _root;
    private readonly string _temp;

    /// <summary>Opens (creating when absent) a blob directory and deletes stale temporary files in it.</summary>
    /// <param name="directory">The root directory; created when missing.</param>
    public FileBlobStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _root = Path.GetFullPath(directory);
        _temp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(Path.Combine(_root, "sha256"));
        Directory.CreateDirectory(_temp);
        DeleteStaleTemporaryFiles();
    }

    /// <inheritdoc />
    public string Location => _root;

    /// <inheritdoc />
    public async Task<BlobInfo> PutAsync(Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var expected = expectedSha256 is null ? null : BlobHash.Require(expectedSha256);
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            string sha256;
            long size;

            // FileShare.None takes a lock that tells DeleteStaleTemporaryFiles in another process to keep this file.
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                (sha256, size) = await CopyHashingAsync(content, file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            if (expected is not null && expected != sha256)
            {
                throw RegistryException.Invalid($"Content SHA-256 mismatch: expected {expected}, got {sha256}.");
            }

            var target = Path.Combine(_root, BlobHash.RelativePath(sha256));
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    File.Move(temp, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Another writer stored the same bytes first; its copy is as good as ours.
                }
            }

            return new BlobInfo(sha256, size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var hash = BlobHash.Require(sha256);
        var path = Path.Combine(_root, BlobHash.RelativePath(hash));
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RegistryException(RegistryErrorCode.ResourceDoesNotExist, $"Blob sha256:{hash} not found in {_root}.", e);
        }

        return Task.FromResult<Stream>(new VerifyingReadStream(file, hash, expectedLength: null));
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(Path.Combine(_root, BlobHash.RelativePath(BlobHash.Require(sha256)))));

    /// <summary>
    /// Copies while hashing with two buffers, so that hashing and reading the next chunk overlap the write of the
    /// previous one: throughput then approaches that of the slower of disk and source instead of their sum.
    /// </summary>
    internal static async Task<(string Sha256, long Size)> CopyHashingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize)];
        var pending = Task.CompletedTask;
        long size = 0;
        try
        {
            for (var index = 0; ; index ^= 1)
            {
                var buffer = buffers[index];
                var filled = await FillAsync(source, buffer, cancellationToken).ConfigureAwait(false);
                if (filled == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, filled);
                size += filled;
                await pending.ConfigureAwait(false);
                pending = destination.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).AsTask();
            }

            await pending.ConfigureAwait(false);
        }
        finally
        {
            // A failed read leaves a write in flight; let it finish before its buffer goes back to the pool.
            await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < BufferSize)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private void DeleteStaleTemporaryFiles()
    {
        foreach (var path in Directory.EnumerateFiles(_temp))
        {
            try
            {
                // Succeeds only when no writer holds the file: then it is a crash leftover.
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }

                File.Delete(path);
            }
            catch (IOException)
            {
                // In use by a live writer (or already gone): not ours to delete.
            }
        }
    }
}
