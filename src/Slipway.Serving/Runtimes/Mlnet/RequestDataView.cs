using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Serving.Runtimes.Mlnet;

/// <summary>
/// An <see cref="IDataView"/> over one request's column arrays, so an ML.NET model scores them without a compile-time
/// row type. One instance belongs to one pooled engine: <see cref="Bind"/> points it at the next request's arrays,
/// and the model's transformed view built over it once is reused (transforms read their source lazily per cursor).
/// </summary>
internal sealed class RequestDataView : IDataView
{
    private readonly Array?[] columns;
    private readonly int[] widths;
    private int rows;

    /// <summary>Creates the view with the model's input schema.</summary>
    public RequestDataView(DataViewSchema schema)
    {
        Schema = schema;
        columns = new Array?[schema.Count];
        widths = new int[schema.Count];
    }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <summary>
    /// Points column <paramref name="index"/> at <paramref name="data"/>: one value per row for a scalar column,
    /// <paramref name="width"/> consecutive values per row for a vector column.
    /// </summary>
    public void Bind(int index, Array data, int width)
    {
        columns[index] = data;
        widths[index] = width;
    }

    /// <summary>Sets the number of rows of the bound request.</summary>
    public void SetRows(int count) => rows = count;

    /// <summary>Drops the request's arrays so a pooled engine does not keep them alive.</summary>
    public void Clear()
    {
        Array.Clear(columns);
        rows = 0;
    }

    /// <inheritdoc />
    public long? GetRowCount() => rows;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(RequestDataView view) : DataViewRowCursor
    {
        private int position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext()
        {
            if (position + 1 >= view.rows)
            {
                position = view.rows;
                return false;
            }

            position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var data = view.columns[column.Index]
                ?? throw new InvalidOperationException($"column '{column.Name}' has no values bound.");
            var width = view.widths[column.Index];
            Delegate getter = column.Type is VectorDataViewType
                ? data switch
                {
                    float[] values => VectorGetter(values, width),
                    double[] values => VectorGetter(values, width),
                    int[] values => VectorGetter(values, width),
                    long[] values => VectorGetter(values, width),
                    bool[] values => VectorGetter(values, width),
                    sbyte[] values => VectorGetter(values, width),
                    short[] values => VectorGetter(values, width),
                    byte[] values => VectorGetter(values, width),
                    ushort[] values => VectorGetter(values, width),
                    uint[] values => VectorGetter(values, width),
                    ulong[] values => VectorGetter(values, width),
                    string[] values => TextVectorGetter(values, width),
                    _ => throw new InvalidOperationException($"column '{column.Name}' cannot be read from a {data.GetType().Name}."),
                }
                : data switch
                {
                    float[] values => ScalarGetter(values),
                    double[] values => ScalarGetter(values),
                    int[] values => ScalarGetter(values),
                    long[] values => ScalarGetter(values),
                    bool[] values => ScalarGetter(values),
                    sbyte[] values => ScalarGetter(values),
                    short[] values => ScalarGetter(values),
                    byte[] values => ScalarGetter(values),
                    ushort[] values => ScalarGetter(values),
                    uint[] values => ScalarGetter(values),
                    ulong[] values => ScalarGetter(values),
                    string[] values => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = values[position].AsMemory()),
                    _ => throw new InvalidOperationException($"column '{column.Name}' cannot be read from a {data.GetType().Name}."),
                };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        private ValueGetter<T> ScalarGetter<T>(T[] values) => (ref T value) => value = values[position];

        private ValueGetter<VBuffer<T>> VectorGetter<T>(T[] values, int width) => (ref VBuffer<T> value) =>
        {
            var editor = VBufferEditor.Create(ref value, width);
            values.AsSpan(position * width, width).CopyTo(editor.Values);
            value = editor.Commit();
        };

        private ValueGetter<VBuffer<ReadOnlyMemory<char>>> TextVectorGetter(string[] values, int width) => (ref VBuffer<ReadOnlyMemory<char>> value) =>
        {
            var editor = VBufferEditor.Create(ref value, width);
            for (var i = 0; i < width; i++)
            {
                editor.Values[i] = values[(position * width) + i].AsMemory();
            }

            value = editor.Commit();
        };
    }
}
