using nietras.SeparatedValues;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>
/// Reads a CSV file with a header row (RFC 4180 quoting) through Sep, parsing each cell straight into the model's
/// input arrays: no string per cell except for text columns. Rows are read <c>chunkRows</c> at a time.
/// </summary>
internal sealed class CsvChunkReader : IChunkReader
{
    private readonly FileStream _stream;
    private readonly SepReader _reader;
    private readonly int[] _fileIndexes;
    private readonly int _chunkRows;
    private readonly string _path;
    private long _rowsRead;

    public CsvChunkReader(string path, ModelContract contract, int chunkRows)
    {
        _path = path;
        _chunkRows = chunkRows;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            // CSV here means comma-separated: Sep's separator detection would take a space or ';' in a header's column
            // names (e.g. "sepal length (cm)") for the separator.
            _reader = Sep.New(',').Reader(o => o with { Unescape = true, Trim = SepTrim.Outer }).From(_stream);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            _stream.Dispose();
            throw new BatchScoringException($"'{Path.GetFileName(path)}' is not a readable CSV file: {e.Message}", e);
        }

        if (_reader.Header.IsEmpty)
        {
            _reader.Dispose();
            _stream.Dispose();
            throw new BatchScoringException($"'{Path.GetFileName(path)}' is empty; a CSV input needs a header row.");
        }

        var names = _reader.Header.ColNames;
        Layout = ChunkLayout.Create(contract, names);
        _fileIndexes = new int[Layout.Targets.Count];
        for (var i = 0; i < _fileIndexes.Length; i++)
        {
            _fileIndexes[i] = _reader.Header.IndexOf(Layout.Targets[i].FileColumn);
        }
    }

    public ChunkLayout Layout { get; }

    public double Progress => _stream.Length == 0 ? 1 : Math.Min(1, (double)_stream.Position / _stream.Length);

    public ValueTask<InferenceRequest?> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var arrays = Layout.NewInputArrays(_chunkRows);
        var rows = 0;
        var targets = Layout.Targets;
        try
        {
            while (rows < _chunkRows && _reader.MoveNext())
            {
                var row = _reader.Current;
                for (var i = 0; i < targets.Count; i++)
                {
                    var target = targets[i];
                    var cell = row[_fileIndexes[i]].Span;
                    if (!TextValues.TryParse(cell, target.Type, arrays[target.Input], (rows * target.Stride) + target.Offset))
                    {
                        throw new BatchScoringException(
                            $"{Path.GetFileName(_path)}: row {_rowsRead + rows + 1}, column '{target.FileColumn}': '{cell.ToString()}' is not a {target.Type.ToNumpyName()} value.");
                    }
                }

                rows++;
            }
        }
        catch (InvalidDataException e)
        {
            throw new BatchScoringException($"{Path.GetFileName(_path)}: row {_rowsRead + rows + 1}: {e.Message}", e);
        }

        _rowsRead += rows;
        return ValueTask.FromResult(rows == 0 ? null : Layout.ToRequest(arrays, rows));
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return _stream.DisposeAsync();
    }
}
