using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// The binary tensor data extension's element layout: little-endian, row-major, no padding; BOOL as one byte 0 or 1;
/// BYTES as a 4-byte little-endian length followed by that many bytes per element (UTF-8 text here).
/// </summary>
internal static class V2BinaryData
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/> (exactly one tensor's data) into an array of <paramref name="count"/> elements.</summary>
    /// <exception cref="ScoringException">400 naming <paramref name="field"/> when the size does not fit the shape or a value is invalid.</exception>
    public static Array Read(ReadOnlySpan<byte> bytes, TensorType type, int count, string field)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("binary tensor data is decoded on little-endian machines only.");
        }

        if (type == TensorType.String)
        {
            return ReadStrings(bytes, count, field);
        }

        var size = (long)count * type.ElementSize();
        if (bytes.Length != size)
        {
            throw ScoringException.BadRequest(
                $"{field}: binary_data_size is {bytes.Length} bytes but shape and datatype {type.ToV2Name()} need {size}.");
        }

        var values = type.NewArray(count);
        bytes.CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(values), bytes.Length));
        if (type == TensorType.Bool)
        {
            // A bool byte other than 0 or 1 is undefined for the runtime; reject it here, naming the element.
            var index = bytes.IndexOfAnyExcept((byte)0, (byte)1);
            if (index >= 0)
            {
                throw ScoringException.BadRequest($"{field}[{index}]: a BOOL byte must be 0 or 1, not {bytes[index]}.");
            }
        }

        return values;
    }

    /// <summary>The number of bytes <see cref="Write"/> writes for <paramref name="tensor"/>.</summary>
    public static long SizeOf(Tensor tensor)
    {
        if (tensor.Type != TensorType.String)
        {
            return tensor.ElementCount * tensor.Type.ElementSize();
        }

        long size = 0;
        foreach (var value in tensor.As<string>())
        {
            size += 4 + Encoding.UTF8.GetByteCount(value ?? string.Empty);
        }

        return size;
    }

    /// <summary>Appends <paramref name="tensor"/>'s values in the binary layout to <paramref name="output"/>.</summary>
    public static void Write(Tensor tensor, IBufferWriter<byte> output)
    {
        if (tensor.Type == TensorType.String)
        {
            foreach (var value in tensor.As<string>())
            {
                var text = value ?? string.Empty;
                var length = Encoding.UTF8.GetByteCount(text);
                var span = output.GetSpan(4 + length);
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
                Encoding.UTF8.GetBytes(text, span[4..]);
                output.Advance(4 + length);
            }

            return;
        }

        var data = tensor.Data;
        var bytes = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(data), checked((int)(tensor.ElementCount * tensor.Type.ElementSize())));
        while (!bytes.IsEmpty)
        {
            // Large tensors go out in pieces so the buffer writer never needs one huge contiguous block.
            var span = output.GetSpan(Math.Min(bytes.Length, 64 * 1024));
            var n = Math.Min(span.Length, bytes.Length);
            bytes[..n].CopyTo(span);
            output.Advance(n);
            bytes = bytes[n..];
        }
    }

    private static string[] ReadStrings(ReadOnlySpan<byte> bytes, int count, string field)
    {
        var values = new string[count];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - offset < 4)
            {
                throw ScoringException.BadRequest($"{field}: binary data ends after {i} of {count} BYTES elements.");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);
            offset += 4;
            if (length > (uint)(bytes.Length - offset))
            {
                throw ScoringException.BadRequest($"{field}[{i}]: BYTES element of {length} bytes runs past the binary_data_size.");
            }

            try
            {
                values[i] = StrictUtf8.GetString(bytes.Slice(offset, (int)length));
            }
            catch (DecoderFallbackException e)
            {
                throw ScoringException.BadRequest($"{field}[{i}]: BYTES element is not valid UTF-8 text.", e);
            }

            offset += (int)length;
        }

        if (offset != bytes.Length)
        {
            throw ScoringException.BadRequest($"{field}: {bytes.Length - offset} bytes left after {count} BYTES elements; binary_data_size does not match the shape.");
        }

        return values;
    }
}
