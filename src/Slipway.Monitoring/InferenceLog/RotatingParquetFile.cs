using System.Globalization;
using Parquet;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// One model's open log file: buffered rows go out as a row group every <c>RowGroupRows</c> rows or when the oldest
/// has waited the flush interval; the file is written as <c>NAME.parquet.partial</c> and renamed to
/// <c>NAME.parquet</c> when it closes (hour or version change, flush, shutdown), so readers only ever see whole files.
/// File names are <c>HH-vVERSION-SEQ.parquet</c> (UTC hour, escaped version, a sequence number that never overwrites)
/// under <c>LOG/model=NAME/date=YYYY-MM-DD/</c>.
/// </summary>
internal sealed class RotatingParquetFile(string logDirectory, string model) : IAsyncDisposable
{
    /// <summary>
    /// Dictionary encoding decided on a sample: request ids are all distinct, and scanning a whole column to find that
    /// out costs the writer more than the rest of the row group.
    /// </summary>
    private static readonly ParquetOptions WriterOptions = new() { DictionaryEncodingSampleSize = 1024 };

    private IParquetLayout? _layout;
    private string? _version;
    private DateTime _hour;
    private FileStream? _stream;
    private ParquetWriter? _writer;
    private string? _partialPath;
    private DateTimeOffset _firstBuffered;

    public string Model { get; } = model;

    /// <summary>The hour (UTC, whole) of the rows in the open file or buffer; default when none.</summary>
    public DateTime Hour => _hour;

    public IParquetLayout? Layout => _layout;

    public bool HasRows => _writer is not null || (_layout?.BufferedRows ?? 0) > 0;

    /// <summary>
    /// Gets the layout for rows of <paramref name="version"/> in <paramref name="hour"/>, closing the open file first
    /// when either differs. Returns the rows written while doing so.
    /// </summary>
    public async ValueTask<FileEvents> PrepareAsync(string version, DateTime hour, Func<IParquetLayout> newLayout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = default(FileEvents);
        if (_layout is not null && (!string.Equals(_version, version, StringComparison.Ordinal) || _hour != hour))
        {
            events = await CloseAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals(_version, version, StringComparison.Ordinal))
            {
                _layout = null;
            }
        }

        _layout ??= newLayout();
        _version = version;
        if (_layout.BufferedRows == 0)
        {
            _firstBuffered = now;
        }

        _hour = hour;
        return events;
    }

    /// <summary>Notes that rows are about to be buffered in the open layout (starts the flush interval when the buffer is empty).</summary>
    public void Touch(DateTimeOffset now)
    {
        if (_layout is not null && _layout.BufferedRows == 0)
        {
            _firstBuffered = now;
        }
    }

    /// <summary>Writes a row group when enough rows are buffered or the oldest waited long enough.</summary>
    public async ValueTask<FileEvents> MaybeWriteAsync(int rowGroupRows, TimeSpan flushInterval, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_layout is null || _layout.BufferedRows == 0)
        {
            return default;
        }

        if (_layout.BufferedRows >= rowGroupRows || now - _firstBuffered >= flushInterval)
        {
            return new FileEvents(await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false), 0);
        }

        return default;
    }

    /// <summary>Writes what is buffered and closes the file (renaming it to its final name).</summary>
    public async ValueTask<FileEvents> CloseAsync(CancellationToken cancellationToken)
    {
        var rows = await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        if (_writer is null)
        {
            return new FileEvents(rows, 0);
        }

        try
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            await _stream!.DisposeAsync().ConfigureAwait(false);
            File.Move(_partialPath!, _partialPath![..^".partial".Length], overwrite: false);
        }
        finally
        {
            _writer = null;
            _stream = null;
            _partialPath = null;
        }

        return new FileEvents(rows, 1);
    }

    /// <summary>Forgets buffered rows and the open file after a failure (the partial file stays, unreadable, and is never renamed).</summary>
    public async Task AbandonAsync()
    {
        if (_layout is not null)
        {
            foreach (var column in _layout.Columns)
            {
                column.Clear();
            }
        }

        try
        {
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The file is being abandoned: a second failure adds nothing.
        }
        finally
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }

            _writer = null;
            _stream = null;
            _partialPath = null;
        }
    }

    private async Task<long> WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_layout is null || _layout.BufferedRows == 0)
        {
            return 0;
        }

        if (_writer is null)
        {
            _partialPath = NextPath();
            _stream = new FileStream(_partialPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
            _writer = await ParquetWriter.CreateAsync(_layout.Schema, _stream, WriterOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
            _writer.CustomMetadata = new Dictionary<string, string>(_layout.Metadata, StringComparer.Ordinal);
        }

        var rows = _layout.BufferedRows;
        using (var group = _writer.CreateRowGroup())
        {
            foreach (var column in _layout.Columns)
            {
                await column.WriteAsync(group, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var column in _layout.Columns)
        {
            column.Clear();
        }

        return rows;
    }

    private string NextPath()
    {
        var folder = Path.Combine(logDirectory, MonitoringPaths.Partition(Model, DateOnly.FromDateTime(_hour)));
        Directory.CreateDirectory(folder);
        var stem = _hour.ToString("HH", CultureInfo.InvariantCulture) + "-v" + Uri.EscapeDataString(_version ?? "");
        for (var sequence = 1; ; sequence++)
        {
            var path = Path.Combine(folder, stem + "-" + sequence.ToString("D4", CultureInfo.InvariantCulture) + ".parquet");
            if (!File.Exists(path) && !File.Exists(path + ".partial"))
            {
                return path + ".partial";
            }
        }
    }

    /// <summary>Releases the open file without completing it (after <see cref="CloseAsync"/> there is none).</summary>
    public ValueTask DisposeAsync() => new(AbandonAsync());
}
