using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Serving.Binding;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Decodes the value of an MLflow format key (already validated as JSON) into columns or tensors of natural types,
/// with <see cref="Utf8JsonReader"/> over the body bytes: no document object, values appended straight to pooled buffers.
/// </summary>
internal static class JsonInputReader
{
    private const string SplitKeysMessage = "Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got ";

    /// <summary><c>{"columns": [...], "data": [[...], ...], "index": [...]}</c>: columns may come after data.</summary>
    public static DecodedInput ReadSplit(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ScoringException.BadRequest(
                $"Dataframe split format must be a dictionary. Got {(reader.TokenType == JsonTokenType.StartArray ? "list" : "type " + MlflowRequestReader.PythonTypeName(reader.TokenType))}.");
        }

        Range? columnsRange = null;
        Range? dataRange = null;
        var keys = new List<string>();
        var unexpected = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            keys.Add(name);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var range = start..(int)reader.BytesConsumed;
            switch (name)
            {
                case "columns": columnsRange = range; break;
                case "data": dataRange = range; break;
                case "index": break;
                default: unexpected = true; break;
            }
        }

        if (dataRange is null || unexpected)
        {
            throw ScoringException.BadRequest(SplitKeysMessage + PythonSet(keys) + ".'");
        }

        var names = columnsRange is { } c ? ReadColumnNames(value[c]) : null;
        return ReadSplitData(value[dataRange.Value], names);
    }

    /// <summary><c>[{"a": 1, "b": 2}, ...]</c>: a key missing from a record is a missing value, as in pandas.</summary>
    public static DecodedInput ReadRecords(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ScoringException.BadRequest(
                $"Dataframe records format must be a list of records. Got {(reader.TokenType == JsonTokenType.StartObject ? "dictionary" : "type " + MlflowRequestReader.PythonTypeName(reader.TokenType))}.");
        }

        var table = new RecordTable();
        try
        {
            table.ReadRows(ref reader, padMissing: true, "dataframe_records");
            return new DecodedInput(table.ToTensors(), IsTable: true);
        }
        finally
        {
            table.Release();
        }
    }

    /// <summary>
    /// <c>instances</c> or <c>inputs</c>: a list of row objects (a table), an object of named tensors, or a bare value or
    /// nested list (one unnamed tensor).
    /// </summary>
    public static DecodedInput ReadTensorInput(ReadOnlySpan<byte> value, bool instances)
    {
        var reader = new Utf8JsonReader(value);
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var tensors = new List<Tensor>();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString()!;
                        reader.Read();
                        var column = new ValueColumn(name);
                        try
                        {
                            column.AddCell(ref reader);
                            tensors.Add(column.ToTensor(rowsDimension: false));
                        }
                        finally
                        {
                            column.Release();
                        }
                    }

                    return new DecodedInput(tensors, IsTable: false);
                }

            case JsonTokenType.StartArray when FirstElementIsObject(value):
                {
                    // Rows as objects: `instances` requires every row to carry the same keys (MLflow compares the
                    // column lengths); `inputs` builds a data frame, where a missing key is a missing value.
                    var table = new RecordTable();
                    try
                    {
                        table.ReadRows(ref reader, padMissing: !instances, instances ? "instances" : "inputs");
                        return new DecodedInput(table.ToTensors(), IsTable: true);
                    }
                    finally
                    {
                        table.Release();
                    }
                }

            default:
                {
                    var column = new ValueColumn(InputBinder.UnnamedInput);
                    try
                    {
                        column.AddCell(ref reader);
                        return new DecodedInput([column.ToTensor(rowsDimension: false)], IsTable: false);
                    }
                    finally
                    {
                        column.Release();
                    }
                }
        }
    }

    private static bool FirstElementIsObject(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        reader.Read();
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject;
    }

    private static List<string> ReadColumnNames(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ScoringException.BadRequest(
                "Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'columns must be a list of names'");
        }

        var names = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            names.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => throw ScoringException.BadRequest(
                    "Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'column names must be strings or numbers'"),
            });
        }

        return names;
    }

    private static DecodedInput ReadSplitData(ReadOnlySpan<byte> value, List<string>? names)
    {
        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw NotAFrame("split", "data must be a list of rows");
        }

        ValueColumn[]? columns = names is null ? null : MakeColumns(names);
        try
        {
            var row = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    // pandas reads a flat list as the rows of a single column.
                    columns ??= MakeColumns(["0"]);
                    if (columns.Length != 1)
                    {
                        throw NotAFrame("split", $"{columns.Length} columns passed, passed data had 1 columns");
                    }

                    columns[0].AddCell(ref reader);
                    row++;
                    continue;
                }

                var cell = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (columns is null)
                    {
                        // No column names: pandas numbers them; the first row fixes how many there are.
                        columns = MakeColumns(CountRowCells(value, (int)reader.TokenStartIndex));
                    }

                    if (cell >= columns.Length)
                    {
                        throw NotAFrame("split", $"{columns.Length} columns passed, passed data had {cell + 1} columns");
                    }

                    columns[cell++].AddCell(ref reader);
                }

                if (columns is not null && cell != columns.Length)
                {
                    throw NotAFrame("split", $"{columns.Length} columns passed, passed data had {cell} columns");
                }

                row++;
            }

            var tensors = new List<Tensor>(columns?.Length ?? 0);
            foreach (var column in columns ?? [])
            {
                tensors.Add(column.ToTensor());
            }

            return new DecodedInput(tensors, IsTable: true);
        }
        finally
        {
            foreach (var column in columns ?? [])
            {
                column.Release();
            }
        }
    }

    private static List<string> CountRowCells(ReadOnlySpan<byte> value, int firstCellStart)
    {
        // Re-read the first row from its first cell to count its cells.
        var reader = new Utf8JsonReader(value[firstCellStart..], new JsonReaderOptions { AllowTrailingCommas = false });
        var count = 0;
        var depth = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray && depth == 0)
            {
                break;
            }

            if (depth == 0)
            {
                count++;
            }

            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                depth++;
            }
            else if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
            {
                depth--;
            }
        }

        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            names.Add(i.ToString(CultureInfo.InvariantCulture));
        }

        return names;
    }

    private static ValueColumn[] MakeColumns(List<string> names)
    {
        var columns = new ValueColumn[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            columns[i] = new ValueColumn(names[i]);
        }

        return columns;
    }

    private static ScoringException NotAFrame(string orient, string error) =>
        ScoringException.BadRequest($"Provided dataframe_{orient} field is not a valid dataframe representation in '{orient}' format. Error: '{error}'");

    /// <summary>A set as Python prints it, e.g. <c>{'data', 'x'}</c>.</summary>
    private static string PythonSet(List<string> keys) => keys.Count == 0 ? "set()" : "{" + InputBinder.PythonList(keys)[1..^1] + "}";

    /// <summary>Columns gathered from row objects, in order of first appearance.</summary>
    private sealed class RecordTable
    {
        private readonly List<ValueColumn> _columns = [];
        private readonly List<byte[]> _utf8Names = [];
        private int _rows;

        public void ReadRows(ref Utf8JsonReader reader, bool padMissing, string field)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw ScoringException.BadRequest(
                        $"Provided {field} field is not a valid dataframe representation in 'records' format. Error: 'every record must be a JSON object'");
                }

                var position = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var column = Find(ref reader, position++, padMissing, field);
                    reader.Read();
                    if (column.Rows != _rows)
                    {
                        throw ScoringException.BadRequest($"Provided {field} field is not a valid dataframe representation in 'records' format. Error: 'record {_rows} repeats key {column.Name}'");
                    }

                    column.AddCell(ref reader);
                }

                _rows++;
                foreach (var column in _columns)
                {
                    if (column.Rows != _rows)
                    {
                        if (!padMissing)
                        {
                            throw ScoringException.BadRequest("The length of values for each input/column name are not the same");
                        }

                        column.AddNullCell(_rows - 1);
                    }
                }
            }
        }

        public List<Tensor> ToTensors()
        {
            var tensors = new List<Tensor>(_columns.Count);
            foreach (var column in _columns)
            {
                tensors.Add(column.ToTensor());
            }

            return tensors;
        }

        public void Release()
        {
            foreach (var column in _columns)
            {
                column.Release();
            }
        }

        private ValueColumn Find(ref Utf8JsonReader reader, int position, bool padMissing, string field)
        {
            // Records usually list keys in the same order: try the same position first.
            if (position < _columns.Count && reader.ValueTextEquals(_utf8Names[position]))
            {
                return _columns[position];
            }

            for (var i = 0; i < _columns.Count; i++)
            {
                if (reader.ValueTextEquals(_utf8Names[i]))
                {
                    return _columns[i];
                }
            }

            var name = reader.GetString()!;
            if (_rows > 0 && !padMissing)
            {
                throw ScoringException.BadRequest("The length of values for each input/column name are not the same");
            }

            var column = new ValueColumn(name);
            for (var row = 0; row < _rows; row++)
            {
                column.AddNullCell(row);
            }

            _columns.Add(column);
            _utf8Names.Add(Encoding.UTF8.GetBytes(name));
            _ = field;
            return column;
        }
    }
}
