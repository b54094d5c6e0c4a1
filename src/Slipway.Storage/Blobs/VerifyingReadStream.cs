using System.Security.Cryptography;
using Slipway.Core.Registry;

namespace Slipway.Storage.Blobs;

/// <summary>
/// A read-only stream that hashes what passes through it and, at the end of the data, throws
/// <see cref="RegistryErrorCode.DataLoss"/> when the SHA-256 or the length differ from what was stored.
/// A reader that stops early gets no verdict; every full read is verified.
/// </summary>
internal sealed class VerifyingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly string _expectedSha256;
    private readonly long? _expectedLength;
    private readonly IDisposable? _owner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _verified;

    /// <param name="inner">The stored bytes.</param>
    /// <param name="expectedSha256">Lower-case hex SHA-256 the bytes must have.</param>
    /// <param name="expectedLength">The length the bytes must have, when known.</param>
    /// <param name="owner">Disposed with the stream (e.g. the HTTP response the bytes come from).</param>
    public VerifyingReadStream(Stream inner, string expectedSha256, long? expectedLength, IDisposable? owner = null)
    {
        _inner = inner;
        _expectedSha256 = expectedSha256;
        _expectedLength = expectedLength;
        _owner = owner;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _expectedLength ?? throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        return Account(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _owner?.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            _hash.AppendData(data);
            _position += data.Length;
            if (_position > _expectedLength)
            {
                throw DataLoss($"is longer than its recorded {_expectedLength} bytes");
            }

            return data.Length;
        }

        if (_verified)
        {
            return 0;
        }

        _verified = true;
        if (_expectedLength is { } length && _position != length)
        {
            throw DataLoss($"has {_position} bytes, expected {length}");
        }

        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return actual == _expectedSha256 ? 0 : throw DataLoss($"has SHA-256 {actual}");
    }

    private RegistryException DataLoss(string problem) =>
        new(RegistryErrorCode.DataLoss, $"Stored blob sha256:{_expectedSha256} is corrupt: it {problem}.");
}
