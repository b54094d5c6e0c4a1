using Parquet;
using Parquet.Schema;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// One column of the inference log being buffered for the next row group: a growable typed array that is reused from
/// row group to row group, so appending a value allocates nothing once the buffer has grown.
/// </summary>
internal abstract class LogColumn(DataField field)
{
    public DataField Field { get; } = field;

    public abstract int Count { get; }

    public abstract Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken);

    public abstract void Clear();

    public abstract void AppendNulls(int count);

    protected static void Grow<T>(ref T[] buffer, int needed)
    {
        if (needed > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(needed, Math.Max(16, buffer.Length * 2)));
        }
    }
}

/// <summary>A column of numbers or booleans, nullable or not.</summary>
internal sealed class ValueLogColumn<T>(DataField field) : LogColumn(field)
    where T : struct
{
    private T?[] _nullable = field.IsNullable ? new T?[64] : [];
    private T[] _values = field.IsNullable ? [] : new T[64];
    private int _count;

    public override int Count => _count;

    public void Append(T value)
    {
        if (Field.IsNullable)
        {
            Grow(ref _nullable, _count + 1);
            _nullable[_count++] = value;
        }
        else
        {
            Grow(ref _values, _count + 1);
            _values[_count++] = value;
        }
    }

    /// <summary>Room for <paramref name="count"/> more values, returned as a span to fill (nullable columns).</summary>
    public Span<T?> AppendNullable(int count)
    {
        Grow(ref _nullable, _count + count);
        var span = _nullable.AsSpan(_count, count);
        _count += count;
        return span;
    }

    /// <summary>Room for <paramref name="count"/> more values, returned as a span to fill (required columns).</summary>
    public Span<T> AppendRequired(int count)
    {
        Grow(ref _values, _count + count);
        var span = _values.AsSpan(_count, count);
        _count += count;
        return span;
    }

    public override void AppendNulls(int count) => AppendNullable(count).Clear();

    public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) => Field.IsNullable
        ? group.WriteAsync(Field, new ReadOnlyMemory<T?>(_nullable, 0, _count), null, null, cancellationToken)
        : group.WriteAsync(Field, new ReadOnlyMemory<T>(_values, 0, _count), null, null, cancellationToken);

    public override void Clear() => _count = 0;
}

/// <summary>A column of UTF-8 strings (null allowed when the field is nullable).</summary>
internal sealed class StringLogColumn(DataField field) : LogColumn(field)
{
    private string?[] _values = new string?[64];
    private int _count;

    public override int Count => _count;

    public void Append(string? value)
    {
        Grow(ref _values, _count + 1);
        _values[_count++] = value;
    }

    /// <summary>Appends the same string <paramref name="count"/> times (a request's id on each of its rows).</summary>
    public void AppendRepeated(string? value, int count)
    {
        Grow(ref _values, _count + count);
        _values.AsSpan(_count, count).Fill(value);
        _count += count;
    }

    public override void AppendNulls(int count) => AppendRepeated(null, count);

    public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        group.WriteAsync(Field, new ArraySegment<string>(_values!, 0, _count), null);

    public override void Clear()
    {
        // Drop the references so that strings of old requests can be collected.
        Array.Clear(_values, 0, _count);
        _count = 0;
    }
}
