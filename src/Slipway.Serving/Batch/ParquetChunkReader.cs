using Parquet;
using Parquet.Schema;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>
/// Reads a Parquet file one row group at a time (so memory follows the largest row group, not the file) and converts
/// each needed column to the model input's type: numbers widen or narrow as the input needs, nulls in float columns
/// become NaN, and nulls elsewhere are refused.
/// </summary>
internal sealed class ParquetChunkReader : IChunkReader
{
    private readonly FileStream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly string _path;
    private int _nextGroup;
    private long _rowsRead;

    private ParquetChunkReader(string path, FileStream stream, ParquetReader reader, ChunkLayout layout, DataField[] fields)
    {
        _path = path;
        _stream = stream;
        _reader = reader;
        Layout = layout;
        _fields = fields;
    }

    public ChunkLayout Layout { get; }

    public double Progress => _reader.RowGroupCount == 0 ? 1 : (double)_nextGroup / _reader.RowGroupCount;

    public static async Task<ParquetChunkReader> OpenAsync(string path, ModelContract contract, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new BatchScoringException($"'{Path.GetFileName(path)}' is not a readable Parquet file: {e.Message}", e);
        }

        var all = reader.Schema.GetDataFields();
        var layout = ChunkLayout.Create(contract, all.Select(f => f.Name).ToArray());
        var fields = layout.Targets.Select(t => all.First(f => f.Name == t.FileColumn)).ToArray();
        return new ParquetChunkReader(path, stream, reader, layout, fields);
    }

    public async ValueTask<InferenceRequest?> ReadAsync(CancellationToken cancellationToken)
    {
        while (_nextGroup < _reader.RowGroupCount)
        {
            using var group = _reader.OpenRowGroupReader(_nextGroup++);
            var rows = checked((int)group.RowCount);
            if (rows == 0)
            {
                continue;
            }

            var arrays = Layout.NewInputArrays(rows);
            for (var i = 0; i < _fields.Length; i++)
            {
                await ReadColumnAsync(group, _fields[i], Layout.Targets[i], arrays[Layout.Targets[i].Input], rows, cancellationToken).ConfigureAwait(false);
            }

            _rowsRead += rows;
            return Layout.ToRequest(arrays, rows);
        }

        return null;
    }

    private async Task ReadColumnAsync(ParquetRowGroupReader group, DataField field, ColumnTarget target, Array destination, int rows, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string))
        {
            var values = new string?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < rows; r++)
            {
                Put(target, destination, r, values[r]);
            }

            return;
        }

        if (type == typeof(double))
        {
            await CopyAsync<double>(group, field, target, destination, rows, v => v, cancellationToken).ConfigureAwait(false);
        }
        else if (type == typeof(float))
        {
            await CopyAsync<float>(group, field, target, destination, rows, v => v, cancellationToken).ConfigureAwait(false);
        }
        else if (type == typeof(long))
        {
            await CopyAsync<long>(group, field, target, destination, rows, v => v, cancellationToken).ConfigureAwait(false);
        }
        else if (type == typeof(int))
        {
            await CopyAsync<int>(group, field, target, destination, rows, v => v, cancellationToken).ConfigureAwait(false);
        }
        else if (type == typeof(short))
        {
            await CopyAsync<short>(group, field, target, destination, rows, v => v, cancellationToken).ConfigureAwait(false);
        }
        else if (type == typeof(bool))
        {
            await CopyAsync<bool>(group, field, target, destination, rows, v => v ? 1 : 0, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new BatchScoringException($"{Path.GetFileName(_path)}: column '{field.Name}' has Parquet type {type.Name}, which batch scoring does not read (numbers, booleans and strings are read).");
        }
    }

    private async Task CopyAsync<T>(ParquetRowGroupReader group, DataField field, ColumnTarget target, Array destination, int rows, Func<T, double> toDouble, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < rows; r++)
            {
                if (values[r] is T value)
                {
                    Put(target, destination, r, value, toDouble);
                }
                else if (target.Type is TensorType.Float32 or TensorType.Float64 or TensorType.Float16)
                {
                    Put(target, destination, r, double.NaN);
                }
                else
                {
                    throw new BatchScoringException($"{Path.GetFileName(_path)}: row {_rowsRead + r + 1}, column '{field.Name}' is null, but the model's {target.Type.ToNumpyName()} input cannot take a missing value.");
                }
            }
        }
        else
        {
            var values = new T[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < rows; r++)
            {
                Put(target, destination, r, values[r], toDouble);
            }
        }
    }

    private void Put<T>(ColumnTarget target, Array destination, int row, T value, Func<T, double> toDouble)
    {
        var index = (row * target.Stride) + target.Offset;
        switch (destination)
        {
            case T[] same:
                same[index] = value;
                break;
            case string[] text:
                text[index] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                break;
            default:
                Put(target, destination, row, toDouble(value));
                break;
        }
    }

    private void Put(ColumnTarget target, Array destination, int row, double value)
    {
        var index = (row * target.Stride) + target.Offset;
        var integral = Math.Round(value) == value;
        switch (destination)
        {
            case double[] d:
                d[index] = value;
                return;
            case float[] f:
                f[index] = (float)value;
                return;
            case Half[] h:
                h[index] = (Half)value;
                return;
            case long[] l when integral:
                l[index] = (long)value;
                return;
            case int[] i when integral && value is >= int.MinValue and <= int.MaxValue:
                i[index] = (int)value;
                return;
            case bool[] b when value is 0 or 1:
                b[index] = value == 1;
                return;
            case string[] s:
                s[index] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
            default:
                throw new BatchScoringException($"{Path.GetFileName(_path)}: row {_rowsRead + row + 1}, column '{target.FileColumn}': {value} does not fit the model's {target.Type.ToNumpyName()} input.");
        }
    }

    private void Put(ColumnTarget target, Array destination, int row, string? value)
    {
        var index = (row * target.Stride) + target.Offset;
        if (value is null && destination is not string[])
        {
            if (target.Type is TensorType.Float32 or TensorType.Float64)
            {
                Put(target, destination, row, double.NaN);
                return;
            }

            throw new BatchScoringException($"{Path.GetFileName(_path)}: row {_rowsRead + row + 1}, column '{target.FileColumn}' is null, but the model's {target.Type.ToNumpyName()} input cannot take a missing value.");
        }

        if (!TextValues.TryParse(value ?? string.Empty, target.Type, destination, index))
        {
            throw new BatchScoringException($"{Path.GetFileName(_path)}: row {_rowsRead + row + 1}, column '{target.FileColumn}': '{value}' is not a {target.Type.ToNumpyName()} value.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
