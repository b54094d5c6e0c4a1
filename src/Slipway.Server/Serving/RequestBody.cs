using System.Buffers;
using System.IO.Pipelines;

namespace Slipway.Server.Serving;

/// <summary>
/// A whole request body held in Kestrel's own buffers: when it arrived in one segment (the usual case for small
/// scoring requests) <see cref="Span"/> reads it in place; otherwise it is copied once into a pooled array. Dispose
/// releases the buffers; decoded tensors never point into them.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private readonly PipeReader reader;
    private readonly ReadOnlySequence<byte> sequence;
    private byte[]? rented;
    private readonly int length;

    private RequestBody(PipeReader reader, ReadOnlySequence<byte> sequence)
    {
        this.reader = reader;
        this.sequence = sequence;
        length = checked((int)sequence.Length);
        if (!sequence.IsSingleSegment)
        {
            rented = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            sequence.CopyTo(rented);
        }
    }

    /// <summary>The body's bytes.</summary>
    public ReadOnlyMemory<byte> Memory => rented is null ? sequence.First : rented.AsMemory(0, length);

    /// <summary>The body's bytes.</summary>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>Reads the whole body (Kestrel enforces the server's body size limit).</summary>
    public static async Task<RequestBody> ReadAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                return new RequestBody(reader, result.Buffer);
            }

            // Nothing consumed, everything examined: the next read returns the whole body so far plus more.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
            rented = null;
        }

        reader.AdvanceTo(sequence.End);
    }
}
