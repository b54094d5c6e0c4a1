using Parquet;
using Parquet.Schema;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// One row group of an inference log file, as <see cref="InferenceLogScan"/> hands it out: the file's logged columns,
/// the group's <c>timestamp</c> and <c>version</c> values, and reads of any other column. Valid only until the scan
/// moves on to the next row group (the underlying Parquet reader is closed then).
/// </summary>
public sealed class InferenceLogRowGroup
{
    private readonly IReadOnlyDictionary<string, DataField> _fieldsByName;
    private readonly ParquetRowGroupReader _group;
    private readonly DateTime[] _timestamps;
    private readonly DateTime _since;
    private readonly DateTime _until;

    internal InferenceLogRowGroup(
        string path,
        IReadOnlyList<LoggedColumn> columns,
        IReadOnlyList<DataField> fields,
        IReadOnlyDictionary<string, DataField> fieldsByName,
        ParquetRowGroupReader group,
        DateTime[] timestamps,
        string?[] versions,
        DateTime since,
        DateTime until)
    {
        Path = path;
        Columns = columns;
        Fields = fields;
        _fieldsByName = fieldsByName;
        _group = group;
        _timestamps = timestamps;
        Versions = versions;
        _since = since;
        _until = until;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The file's logged feature columns, from its <c>slipway.columns</c> metadata (the same list for every group of a file).</summary>
    public IReadOnlyList<LoggedColumn> Columns { get; }

    /// <summary>The file's Parquet data fields, in schema order.</summary>
    public IReadOnlyList<DataField> Fields { get; }

    /// <summary>Rows in this group (in the window or not).</summary>
    public int RowCount => _timestamps.Length;

    /// <summary>Each row's <c>timestamp</c> (UTC, when the request was answered).</summary>
    public IReadOnlyList<DateTime> Timestamps => _timestamps;

    /// <summary>Each row's <c>version</c> (the model version that answered).</summary>
    public IReadOnlyList<string?> Versions { get; }

    /// <summary>Whether row <paramref name="row"/> was logged in the scan's window [since, until).</summary>
    public bool IsInWindow(int row) => _timestamps[row] >= _since && _timestamps[row] < _until;

    /// <summary>The data field named <paramref name="name"/> (ordinal), or null when the file has none.</summary>
    public DataField? Field(string name) => _fieldsByName.GetValueOrDefault(name);

    /// <summary>A text column's values, one per row (null when missing).</summary>
    /// <remarks>Parquet.Net reports UTF-8 string columns with a <see cref="ReadOnlyMemory{T}"/> of char CLR type; they read into strings all the same.</remarks>
    public async Task<string?[]> ReadStringsAsync(DataField field, CancellationToken cancellationToken = default)
    {
        var texts = new string?[RowCount];
        await _group.ReadAsync(field, texts.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return texts;
    }

    /// <summary>A boolean column's values, one per row (null when missing).</summary>
    public async Task<bool?[]> ReadBooleansAsync(DataField field, CancellationToken cancellationToken = default)
    {
        var flags = new bool?[RowCount];
        await _group.ReadAsync(field, flags.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return flags;
    }

    /// <summary>
    /// A numeric column's values as doubles, one per row (null when missing): <c>double</c>, <c>float</c> and
    /// <c>long</c> columns as such, any other as <c>int</c>.
    /// </summary>
    public async Task<double?[]> ReadNumbersAsync(DataField field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(field);
        var type = ValueType(field);
        if (type == typeof(double))
        {
            var values = new double?[RowCount];
            await _group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values;
        }

        if (type == typeof(float))
        {
            return await NumbersAsync<float>(field, v => v, cancellationToken).ConfigureAwait(false);
        }

        if (type == typeof(long))
        {
            return await NumbersAsync<long>(field, v => v, cancellationToken).ConfigureAwait(false);
        }

        return await NumbersAsync<int>(field, v => v, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A column's values, one per row, by its type: text as <see cref="string"/>, booleans as <see cref="bool"/>,
    /// numbers as <see cref="double"/> (as <see cref="ReadNumbersAsync"/>); null when missing.
    /// </summary>
    public async Task<object?[]> ReadValuesAsync(DataField field, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(field);
        var type = ValueType(field);
        var result = new object?[RowCount];
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var texts = await ReadStringsAsync(field, cancellationToken).ConfigureAwait(false);
            texts.CopyTo(result, 0);
        }
        else if (type == typeof(bool))
        {
            var flags = await ReadBooleansAsync(field, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < flags.Length; r++)
            {
                result[r] = flags[r];
            }
        }
        else
        {
            var numbers = await ReadNumbersAsync(field, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < numbers.Length; r++)
            {
                result[r] = numbers[r];
            }
        }

        return result;
    }

    /// <summary>The field's CLR type without <see cref="Nullable{T}"/>.</summary>
    public static Type ValueType(DataField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
    }

    private async Task<double?[]> NumbersAsync<T>(DataField field, Func<T, double> convert, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[RowCount];
        await _group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        var result = new double?[values.Length];
        for (var r = 0; r < values.Length; r++)
        {
            result[r] = values[r] is { } v ? convert(v) : null;
        }

        return result;
    }
}
