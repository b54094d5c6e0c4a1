using Parquet;
using Parquet.Schema;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>
/// Writes predictions as Parquet with Parquet.Net: one row group per chunk, one required column per output column,
/// typed as the output (float, double, int, long, bool, string ...), so any Parquet reader reads them back.
/// </summary>
internal sealed class ParquetChunkWriter : IChunkWriter
{
    private readonly FileStream _stream;
    private ParquetWriter? _writer;
    private IReadOnlyList<OutputColumn>? _columns;
    private DataField[]? _fields;

    public ParquetChunkWriter(string path) => _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);

    public async ValueTask WriteAsync(IReadOnlyList<Tensor> outputs, int rows, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            _columns = OutputColumn.For(outputs, rows);
            _fields = _columns.Select(c => new DataField(c.Name, c.Type.ElementType(), isNullable: false)).ToArray();
            _writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        using var group = _writer.CreateRowGroup();
        for (var c = 0; c < _columns!.Count; c++)
        {
            var values = _columns[c].Extract(outputs, rows);
            await WriteColumnAsync(group, _fields![c], values, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }

        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private static Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, Array values, CancellationToken cancellationToken) => values switch
    {
        float[] v => group.WriteAsync(field, new ReadOnlyMemory<float>(v), null, null, cancellationToken),
        double[] v => group.WriteAsync(field, new ReadOnlyMemory<double>(v), null, null, cancellationToken),
        long[] v => group.WriteAsync(field, new ReadOnlyMemory<long>(v), null, null, cancellationToken),
        int[] v => group.WriteAsync(field, new ReadOnlyMemory<int>(v), null, null, cancellationToken),
        short[] v => group.WriteAsync(field, new ReadOnlyMemory<short>(v), null, null, cancellationToken),
        sbyte[] v => group.WriteAsync(field, new ReadOnlyMemory<sbyte>(v), null, null, cancellationToken),
        byte[] v => group.WriteAsync(field, new ReadOnlyMemory<byte>(v), null, null, cancellationToken),
        bool[] v => group.WriteAsync(field, new ReadOnlyMemory<bool>(v), null, null, cancellationToken),
        string[] v => group.WriteAsync(field, v, null),
        _ => throw new BatchScoringException($"output column '{field.Name}' has type {values.GetType().GetElementType()?.Name}, which the Parquet writer does not write."),
    };
}
