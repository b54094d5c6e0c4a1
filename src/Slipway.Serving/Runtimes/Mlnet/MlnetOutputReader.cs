using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Runtimes.Mlnet;

/// <summary>Copies one output column of a cursor, row by row, into a new row-major array.</summary>
internal abstract class MlnetOutputReader
{
    /// <summary>The values read so far.</summary>
    public abstract Array Data { get; }

    /// <summary>Reads the cursor's current row into row <paramref name="row"/>.</summary>
    public abstract void Read(int row);

    /// <summary>A reader of <paramref name="output"/> on <paramref name="cursor"/> for <paramref name="rows"/> rows.</summary>
    public static MlnetOutputReader Create(DataViewRowCursor cursor, DataViewSchema.Column column, MlnetColumn output, int rows) => output.Type switch
    {
        TensorType.String => new TextReader(cursor, column, output, rows),
        TensorType.Float32 => Create<float>(cursor, column, output, rows),
        TensorType.Float64 => Create<double>(cursor, column, output, rows),
        TensorType.Int8 => Create<sbyte>(cursor, column, output, rows),
        TensorType.Int16 => Create<short>(cursor, column, output, rows),
        TensorType.Int32 => Create<int>(cursor, column, output, rows),
        TensorType.Int64 => Create<long>(cursor, column, output, rows),
        TensorType.UInt8 => Create<byte>(cursor, column, output, rows),
        TensorType.UInt16 => Create<ushort>(cursor, column, output, rows),
        TensorType.UInt32 => Create<uint>(cursor, column, output, rows),
        TensorType.UInt64 => Create<ulong>(cursor, column, output, rows),
        TensorType.Bool => Create<bool>(cursor, column, output, rows),
        _ => throw new InvalidOperationException($"output '{output.Name}' of type {output.Type} cannot be read."),
    };

    private static MlnetOutputReader Create<T>(DataViewRowCursor cursor, DataViewSchema.Column column, MlnetColumn output, int rows) =>
        output.IsVector ? new VectorReader<T>(cursor, column, output.Width, rows) : new ScalarReader<T>(cursor, column, rows);

    private sealed class ScalarReader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, int rows) : MlnetOutputReader
    {
        private readonly ValueGetter<T> getter = cursor.GetGetter<T>(column);
        private readonly T[] data = new T[rows];

        public override Array Data => data;

        public override void Read(int row) => getter(ref data[row]);
    }

    private sealed class VectorReader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, int width, int rows) : MlnetOutputReader
    {
        private readonly ValueGetter<VBuffer<T>> getter = cursor.GetGetter<VBuffer<T>>(column);
        private readonly T[] data = new T[rows * width];
        private VBuffer<T> buffer;

        public override Array Data => data;

        public override void Read(int row)
        {
            getter(ref buffer);

            // Dense copy: sparse vectors (a one-hot encoding, say) come back with their zeros filled in.
            buffer.CopyTo(data.AsSpan(row * width, width));
        }
    }

    private sealed class TextReader : MlnetOutputReader
    {
        private readonly ValueGetter<ReadOnlyMemory<char>>? scalar;
        private readonly ValueGetter<VBuffer<ReadOnlyMemory<char>>>? vector;
        private readonly int width;
        private readonly string[] data;
        private ReadOnlyMemory<char> text;
        private VBuffer<ReadOnlyMemory<char>> buffer;

        public TextReader(DataViewRowCursor cursor, DataViewSchema.Column column, MlnetColumn output, int rows)
        {
            width = output.Width;
            data = new string[rows * width];
            if (output.IsVector)
            {
                vector = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
            }
            else
            {
                scalar = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            }
        }

        public override Array Data => data;

        public override void Read(int row)
        {
            if (scalar is not null)
            {
                scalar(ref text);
                data[row] = text.ToString();
                return;
            }

            vector!(ref buffer);
            var values = new ReadOnlyMemory<char>[width];
            buffer.CopyTo(values);
            for (var i = 0; i < width; i++)
            {
                data[(row * width) + i] = values[i].ToString();
            }
        }
    }
}
