using nietras.SeparatedValues;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>Writes predictions as CSV through Sep: a header of output columns, then one line per row.</summary>
internal sealed class CsvChunkWriter : IChunkWriter
{
    private readonly SepWriter _writer;
    private IReadOnlyList<OutputColumn>? _columns;

    public CsvChunkWriter(string path) => _writer = Sep.New(',').Writer().ToFile(path);

    public ValueTask WriteAsync(IReadOnlyList<Tensor> outputs, int rows, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _columns ??= OutputColumn.For(outputs, rows);
        var columns = _columns;
        for (var r = 0; r < rows; r++)
        {
            // Sep ties a token to asynchronous row disposal; rows here are written synchronously into its buffer, and the
            // token is checked once per chunk above.
#pragma warning disable CA2016
            using var row = _writer.NewRow();
#pragma warning restore CA2016
            for (var c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                row[column.Name].Set(TextValues.Format(outputs[column.Output].Data, column.Type, (r * column.Stride) + column.Offset));
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _writer.Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
