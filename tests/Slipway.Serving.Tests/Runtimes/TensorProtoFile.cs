namespace Slipway.Serving.Tests.Runtimes;

/// <summary>
/// Reads a float ONNX <c>TensorProto</c> file (the backend tests' <c>output_0.pb</c>): the protobuf fields
/// <c>dims</c> (1), <c>data_type</c> (2), <c>float_data</c> (4) and <c>raw_data</c> (9); others are skipped.
/// </summary>
public sealed record TensorProtoFile(long[] Dims, int DataType, float[] Values)
{
    private const int FloatType = 1;

    public static TensorProtoFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var position = 0;
        var dims = new List<long>();
        var values = new List<float>();
        byte[]? raw = null;
        var dataType = 0;
        while (position < bytes.Length)
        {
            var key = ReadVarint(bytes, ref position);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (field, wire)
            {
                case (1, 0):
                    dims.Add((long)ReadVarint(bytes, ref position));
                    break;
                case (1, 2):
                    var dimsEnd = Length(bytes, ref position);
                    while (position < dimsEnd)
                    {
                        dims.Add((long)ReadVarint(bytes, ref position));
                    }

                    break;
                case (2, 0):
                    dataType = (int)ReadVarint(bytes, ref position);
                    break;
                case (4, 5):
                    values.Add(BitConverter.ToSingle(bytes, position));
                    position += 4;
                    break;
                case (4, 2):
                    var floatsEnd = Length(bytes, ref position);
                    for (; position < floatsEnd; position += 4)
                    {
                        values.Add(BitConverter.ToSingle(bytes, position));
                    }

                    break;
                case (9, 2):
                    var rawEnd = Length(bytes, ref position);
                    raw = bytes[position..rawEnd];
                    position = rawEnd;
                    break;
                default:
                    Skip(bytes, ref position, wire);
                    break;
            }
        }

        if (dataType != FloatType)
        {
            throw new InvalidDataException($"{path}: data_type {dataType} is not FLOAT (1).");
        }

        // raw_data is little-endian, as the ONNX spec fixes it.
        var data = raw is null ? values.ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray();
        return new TensorProtoFile(dims.ToArray(), dataType, data);
    }

    private static int Length(byte[] bytes, ref int position)
    {
        var length = (int)ReadVarint(bytes, ref position);
        return position + length;
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private static void Skip(byte[] bytes, ref int position, int wire)
    {
        switch (wire)
        {
            case 0:
                ReadVarint(bytes, ref position);
                break;
            case 1:
                position += 8;
                break;
            case 2:
                position = Length(bytes, ref position);
                break;
            case 5:
                position += 4;
                break;
            default:
                throw new InvalidDataException($"unsupported protobuf wire type {wire}.");
        }
    }
}
