namespace Slipway.Storage.Metadata;

/// <summary>
/// Forward-only rows of one query, read by ordinal: the bulk-read path of the tracking store (metric histories,
/// the metrics, params and tags of a page of runs). Opened with <see cref="SqlDialect.QueryAsync"/>; a dialect may
/// read the database more directly than ADO.NET does.
/// </summary>
internal abstract class RowReader : IAsyncDisposable
{
    /// <summary>Moves to the next row; false after the last.</summary>
    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>True when the column of the current row is NULL.</summary>
    public abstract bool IsNull(int ordinal);

    /// <summary>A 64-bit integer column.</summary>
    public abstract long GetInt64(int ordinal);

    /// <summary>A double column.</summary>
    public abstract double GetDouble(int ordinal);

    /// <summary>A text column.</summary>
    public abstract string GetString(int ordinal);

    /// <summary>
    /// A text column whose values repeat across rows (metric, param and tag keys; param values): a reader may hand
    /// back the same string instance for equal values instead of decoding each anew. Same value as <see cref="GetString"/>.
    /// </summary>
    public virtual string GetRepeatedString(int ordinal) => GetString(ordinal);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
