using System.Numerics;
using System.Text.Json;
using Parquet.Schema;
using Slipway.Monitoring.Inference;
using Slipway.Serving;
using Slipway.Serving.Tensors;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// The columns of one model version's inference log and how a record's tensors fill them: the request columns
/// (<c>request_id</c>, <c>timestamp</c>, <c>model</c>, <c>version</c>, <c>alias</c>, <c>protocol</c>,
/// <c>latency_seconds</c>, <c>row</c>), then one column per input and per output with one value per row, one column per
/// element (<c>NAME_0</c>, <c>NAME_1</c> ...) for those with a few values per row, and a <c>NAME_shape</c> text column
/// for larger ones.
/// </summary>
internal sealed class InferenceLogLayout : IParquetLayout
{
    /// <summary>The file metadata key holding the feature columns as JSON (<see cref="LoggedColumn"/>).</summary>
    public const string ColumnsMetadataKey = "slipway.columns";

    private static readonly string[] RequestColumns = ["request_id", "timestamp", "model", "version", "alias", "protocol", "latency_seconds", "row"];

    private readonly StringLogColumn _requestId;
    private readonly ValueLogColumn<DateTime> _timestamp;
    private readonly StringLogColumn _model;
    private readonly StringLogColumn _version;
    private readonly StringLogColumn _alias;
    private readonly StringLogColumn _protocol;
    private readonly ValueLogColumn<double> _latency;
    private readonly ValueLogColumn<int> _row;
    private readonly TensorColumns[] _tensors;

    public InferenceLogLayout(ModelContract contract, int maxElementsPerRow)
    {
        Contract = contract;
        _requestId = new StringLogColumn(new DataField("request_id", typeof(string), isNullable: false));
        _timestamp = new ValueLogColumn<DateTime>(new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false));
        _model = new StringLogColumn(new DataField("model", typeof(string), isNullable: false));
        _version = new StringLogColumn(new DataField("version", typeof(string), isNullable: false));
        _alias = new StringLogColumn(new DataField("alias", typeof(string), isNullable: true));
        _protocol = new StringLogColumn(new DataField("protocol", typeof(string), isNullable: false));
        _latency = new ValueLogColumn<double>(new DataField("latency_seconds", typeof(double), isNullable: false));
        _row = new ValueLogColumn<int>(new DataField("row", typeof(int), isNullable: false));
        var columns = new List<LogColumn> { _requestId, _timestamp, _model, _version, _alias, _protocol, _latency, _row };
        var used = new HashSet<string>(RequestColumns, StringComparer.Ordinal);
        var logged = new List<LoggedColumn>();
        var tensors = new List<TensorColumns>();
        for (var i = 0; i < contract.Inputs.Count; i++)
        {
            tensors.Add(TensorColumns.Create(contract.Inputs[i], i, isOutput: false, maxElementsPerRow, used, columns, logged));
        }

        for (var i = 0; i < contract.Outputs.Count; i++)
        {
            tensors.Add(TensorColumns.Create(contract.Outputs[i], i, isOutput: true, maxElementsPerRow, used, columns, logged));
        }

        _tensors = [.. tensors];
        Columns = [.. columns];
        Schema = new ParquetSchema(Columns.Select(c => (Field)c.Field));
        Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ColumnsMetadataKey] = JsonSerializer.Serialize(logged, MonitoringJson.Default.IReadOnlyListLoggedColumn),
        };
    }

    public ModelContract Contract { get; }

    public ParquetSchema Schema { get; }

    public IReadOnlyList<LogColumn> Columns { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public int BufferedRows => _row.Count;

    /// <summary>Appends one row per request row; returns the rows appended.</summary>
    public int Append(InferenceRecord record)
    {
        var rows = checked((int)record.Rows);
        if (rows <= 0)
        {
            return 0;
        }

        _requestId.AppendRepeated(record.RequestId, rows);
        _timestamp.AppendRequired(rows).Fill(record.Timestamp.UtcDateTime);
        _model.AppendRepeated(record.Model, rows);
        _version.AppendRepeated(record.Version, rows);
        _alias.AppendRepeated(record.Alias, rows);
        _protocol.AppendRepeated(record.Protocol, rows);
        _latency.AppendRequired(rows).Fill(record.LatencySeconds);
        var row = _row.AppendRequired(rows);
        for (var r = 0; r < row.Length; r++)
        {
            row[r] = r;
        }

        foreach (var tensor in _tensors)
        {
            tensor.Append(tensor.IsOutput ? record.Outputs : record.Inputs, rows);
        }

        return rows;
    }

    /// <summary>The tensor of that name, or null; looks at the same position first since tensors usually come in contract order.</summary>
    internal static Tensor? Find(IReadOnlyList<Tensor> tensors, string name, int hint)
    {
        if (hint < tensors.Count && string.Equals(tensors[hint].Name, name, StringComparison.Ordinal))
        {
            return tensors[hint];
        }

        for (var i = 0; i < tensors.Count; i++)
        {
            if (string.Equals(tensors[i].Name, name, StringComparison.Ordinal))
            {
                return tensors[i];
            }
        }

        return null;
    }

    /// <summary>The columns of one input or output.</summary>
    private sealed class TensorColumns
    {
        private readonly string _name;
        private readonly int _position;
        private readonly int _perRow;
        private readonly LogColumn[] _elements;
        private readonly StringLogColumn? _shape;

        private TensorColumns(string name, int position, bool isOutput, int perRow, LogColumn[] elements, StringLogColumn? shape)
        {
            _name = name;
            _position = position;
            IsOutput = isOutput;
            _perRow = perRow;
            _elements = elements;
            _shape = shape;
        }

        public bool IsOutput { get; }

        // position: the tensor's index among the contract's inputs (or outputs), where a record usually holds it.
        public static TensorColumns Create(TensorInfo info, int position, bool isOutput, int maxElementsPerRow, HashSet<string> used, List<LogColumn> columns, List<LoggedColumn> logged)
        {
            var perRow = TensorRows.ElementsPerRow(info);
            var type = info.Type.ToV2Name();
            if (perRow < 1 || perRow > maxElementsPerRow)
            {
                var column = new StringLogColumn(new DataField(Unique(info.Name + "_shape", isOutput, used), typeof(string), isNullable: true));
                columns.Add(column);
                logged.Add(new LoggedColumn(column.Field.Name, info.Name, isOutput, -1, type, IsShape: true));
                return new TensorColumns(info.Name, position, isOutput, perRow, [], column);
            }

            var elements = new LogColumn[perRow];
            for (var e = 0; e < perRow; e++)
            {
                var name = Unique(perRow == 1 ? info.Name : info.Name + "_" + e.ToString(System.Globalization.CultureInfo.InvariantCulture), isOutput, used);
                elements[e] = NewColumn(name, info.Type);
                columns.Add(elements[e]);
                logged.Add(new LoggedColumn(name, info.Name, isOutput, perRow == 1 ? -1 : e, type, IsShape: false));
            }

            return new TensorColumns(info.Name, position, isOutput, perRow, elements, null);
        }

        public void Append(IReadOnlyList<Tensor> tensors, int rows)
        {
            var tensor = Find(tensors, _name, _position);
            if (_shape is not null)
            {
                _shape.AppendRepeated(tensor is null ? null : RowShape(tensor), rows);
                return;
            }

            if (tensor is null || tensor.Data.Length != (long)rows * _perRow)
            {
                // An optional input left out, or a tensor shaped unlike the contract: missing rather than misread.
                foreach (var column in _elements)
                {
                    column.AppendNulls(rows);
                }

                return;
            }

            for (var e = 0; e < _elements.Length; e++)
            {
                Gather(tensor.Data, e, _perRow, rows, _elements[e]);
            }
        }

        private static string RowShape(Tensor tensor) => tensor.Shape.Length <= 1
            ? "1"
            : string.Join('x', tensor.Shape.Skip(1));

        private static string Unique(string name, bool isOutput, HashSet<string> used)
        {
            var candidate = name;
            if (!used.Add(candidate))
            {
                candidate = (isOutput ? "output_" : "input_") + name;
                var n = 2;
                while (!used.Add(candidate))
                {
                    candidate = (isOutput ? "output_" : "input_") + name + "_" + n++.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return candidate;
        }

        private static LogColumn NewColumn(string name, TensorType type) => type switch
        {
            TensorType.Float64 => new ValueLogColumn<double>(new DataField(name, typeof(double), isNullable: true)),
            TensorType.Float32 or TensorType.Float16 => new ValueLogColumn<float>(new DataField(name, typeof(float), isNullable: true)),
            TensorType.Int64 or TensorType.UInt32 or TensorType.UInt64 => new ValueLogColumn<long>(new DataField(name, typeof(long), isNullable: true)),
            TensorType.Bool => new ValueLogColumn<bool>(new DataField(name, typeof(bool), isNullable: true)),
            TensorType.String => new StringLogColumn(new DataField(name, typeof(string), isNullable: true)),
            _ => new ValueLogColumn<int>(new DataField(name, typeof(int), isNullable: true)),
        };

        private static void Gather(Array data, int start, int stride, int rows, LogColumn column)
        {
            switch (column)
            {
                case ValueLogColumn<double> doubles:
                    Gather((double[])data, start, stride, doubles.AppendNullable(rows));
                    break;
                case ValueLogColumn<float> floats when data is Half[] halves:
                    Gather(halves, start, stride, floats.AppendNullable(rows));
                    break;
                case ValueLogColumn<float> floats:
                    Gather((float[])data, start, stride, floats.AppendNullable(rows));
                    break;
                case ValueLogColumn<long> longs:
                    GatherLongs(data, start, stride, longs.AppendNullable(rows));
                    break;
                case ValueLogColumn<int> ints:
                    GatherInts(data, start, stride, ints.AppendNullable(rows));
                    break;
                case ValueLogColumn<bool> bools:
                    var source = (bool[])data;
                    var target = bools.AppendNullable(rows);
                    for (var r = 0; r < target.Length; r++)
                    {
                        target[r] = source[start + (r * stride)];
                    }

                    break;
                case StringLogColumn strings:
                    var texts = (string?[])data;
                    for (var r = 0; r < rows; r++)
                    {
                        strings.Append(texts[start + (r * stride)]);
                    }

                    break;
            }
        }

        private static void GatherLongs(Array data, int start, int stride, Span<long?> target)
        {
            switch (data)
            {
                case long[] v:
                    Gather(v, start, stride, target);
                    break;
                case uint[] v:
                    Gather(v, start, stride, target);
                    break;
                default:
                    Gather((ulong[])data, start, stride, target);
                    break;
            }
        }

        private static void GatherInts(Array data, int start, int stride, Span<int?> target)
        {
            switch (data)
            {
                case int[] v:
                    Gather(v, start, stride, target);
                    break;
                case short[] v:
                    Gather(v, start, stride, target);
                    break;
                case ushort[] v:
                    Gather(v, start, stride, target);
                    break;
                case sbyte[] v:
                    Gather(v, start, stride, target);
                    break;
                default:
                    Gather((byte[])data, start, stride, target);
                    break;
            }
        }

        private static void Gather<TSource, TValue>(TSource[] source, int start, int stride, Span<TValue?> target)
            where TSource : INumberBase<TSource>
            where TValue : struct, INumberBase<TValue>
        {
            for (var r = 0; r < target.Length; r++)
            {
                target[r] = TValue.CreateTruncating(source[start + (r * stride)]);
            }
        }
    }
}
