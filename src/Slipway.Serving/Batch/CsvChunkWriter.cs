using nietras.SeparatedValues;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>Writes predictions as CSV through Sep: a header of output columns, then one line per row.</summary>
internal sealed class CsvChunkWriter : IChunkWriter
{
    private readonly SepWriter _writer;
    private IReadOnlyList<OutputColumn>? _columns;

    public CsvChunkWriter(string path) => _writer = Sep.Writer().ToFile(path);

    public ValueTask WriteAsync(IReadOnlyList<Tensor> outputs, int rows, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _columns ??= OutputColumn.For(outputs, rows);
        var columns = _columns;
        for (var r = 0; r < rows; r++)
        {
            using var row = _writer.NewRow(cancellationToken);
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
