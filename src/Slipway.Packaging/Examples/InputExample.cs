using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;

namespace Slipway.Packaging;

/// <summary>
/// Writes a model's input example as MLflow stores it: <c>input_example.json</c> in pandas "split" form
/// (<c>{"columns": [...], "data": [[...]]}</c>) for tables, or <c>{"inputs": ...}</c> for tensors,
/// plus the matching <c>saved_input_example_info</c> for the <c>MLmodel</c> file.
/// </summary>
public static class InputExample
{
    /// <summary>The example's file name inside a model directory: <c>input_example.json</c>.</summary>
    public const string FileName = "input_example.json";

    /// <summary>
    /// Reads the example at <paramref name="sourcePath"/> (MLflow JSON: <c>dataframe_split</c>, <c>dataframe_records</c>,
    /// bare split <c>{"columns", "data"}</c>, <c>inputs</c> or <c>instances</c>; or a CSV file with a header row),
    /// checks its columns against a column-based <paramref name="signature"/>, and writes it into <paramref name="modelDirectory"/>.
    /// </summary>
    /// <returns>The <c>saved_input_example_info</c> mapping to put in the <c>MLmodel</c> file.</returns>
    /// <exception cref="RegistryException">Invalid when the file is missing, malformed, or its columns do not fit the signature.</exception>
    public static async Task<IReadOnlyDictionary<string, object?>> WriteAsync(
        string sourcePath, string modelDirectory, ModelSignature? signature, CancellationToken cancellationToken)
    {
        if (!File.Exists(sourcePath))
        {
            throw RegistryException.Invalid($"input example '{sourcePath}' does not exist.");
        }

        var text = await File.ReadAllTextAsync(sourcePath, cancellationToken).ConfigureAwait(false);
        var extension = Path.GetExtension(sourcePath).ToUpperInvariant();
        byte[] json;
        Dictionary<string, object?> info;
        if (extension == ".CSV")
        {
            var (columns, rows) = ParseCsv(text, sourcePath);
            CheckColumns(columns, signature);
            json = WriteSplit(columns, rows);
            info = DataframeInfo();
        }
        else if (extension == ".JSON")
        {
            (json, info) = ConvertJson(text, sourcePath, signature);
        }
        else
        {
            throw RegistryException.Invalid($"input example '{Path.GetFileName(sourcePath)}' must be a .json (MLflow format) or .csv file.");
        }

        await File.WriteAllBytesAsync(Path.Combine(modelDirectory, FileName), json, cancellationToken).ConfigureAwait(false);
        return info;
    }

    private static Dictionary<string, object?> DataframeInfo() => new(StringComparer.Ordinal)
    {
        ["artifact_path"] = FileName,
        ["pandas_orient"] = "split",
        ["type"] = "dataframe",
    };

    private static (byte[] Json, Dictionary<string, object?> Info) ConvertJson(string text, string sourcePath, ModelSignature? signature)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"input example '{Path.GetFileName(sourcePath)}' is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw RegistryException.Invalid($"input example '{Path.GetFileName(sourcePath)}': expected a JSON object such as {{\"dataframe_split\": ...}}.");
            }

            if (root.TryGetProperty("inputs", out var tensors) || root.TryGetProperty("instances", out tensors))
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("inputs");
                    tensors.WriteTo(writer);
                    writer.WriteEndObject();
                }

                return (buffer.ToArray(), new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["artifact_path"] = FileName,
                    ["format"] = "tf-serving",
                    ["type"] = "ndarray",
                });
            }

            var (columns, rows) = root.TryGetProperty("dataframe_records", out var records)
                ? FromRecords(records)
                : FromSplit(root.TryGetProperty("dataframe_split", out var split) ? split : root, sourcePath);
            CheckColumns(columns, signature);
            return (WriteSplit(columns, rows), DataframeInfo());
        }
    }

    private static (List<string> Columns, List<List<object?>> Rows) FromSplit(JsonElement split, string sourcePath)
    {
        if (split.ValueKind != JsonValueKind.Object
            || !split.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw RegistryException.Invalid(
                $"input example '{Path.GetFileName(sourcePath)}': expected dataframe_split, dataframe_records, inputs or instances.");
        }

        var rows = new List<List<object?>>();
        foreach (var row in data.EnumerateArray())
        {
            rows.Add(row.ValueKind == JsonValueKind.Array ? row.EnumerateArray().Select(ToValue).ToList() : [ToValue(row)]);
        }

        List<string> columns;
        if (split.TryGetProperty("columns", out var names) && names.ValueKind == JsonValueKind.Array)
        {
            columns = names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String
                ? n.GetString()!
                : throw RegistryException.Invalid("input example columns: expected strings.")).ToList();
        }
        else
        {
            columns = Enumerable.Range(0, rows.Count == 0 ? 0 : rows[0].Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count != columns.Count)
            {
                throw RegistryException.Invalid($"input example data[{i}]: has {rows[i].Count} values for {columns.Count} columns.");
            }
        }

        return (columns, rows);
    }

    private static (List<string> Columns, List<List<object?>> Rows) FromRecords(JsonElement records)
    {
        if (records.ValueKind != JsonValueKind.Array)
        {
            throw RegistryException.Invalid("input example dataframe_records: expected an array of objects.");
        }

        var columns = new List<string>();
        var maps = new List<Dictionary<string, object?>>();
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw RegistryException.Invalid("input example dataframe_records: expected an array of objects.");
            }

            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in record.EnumerateObject())
            {
                if (!columns.Contains(property.Name))
                {
                    columns.Add(property.Name);
                }

                map[property.Name] = ToValue(property.Value);
            }

            maps.Add(map);
        }

        return (columns, maps.Select(m => columns.Select(c => m.GetValueOrDefault(c)).ToList()).ToList());
    }

    private static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        _ => element.Clone(),
    };

    private static (List<string> Columns, List<List<object?>> Rows) ParseCsv(string text, string sourcePath)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length < 2)
        {
            throw RegistryException.Invalid($"input example '{Path.GetFileName(sourcePath)}' needs a header row and at least one data row.");
        }

        var columns = SplitCsvLine(lines[0]).Select(c => c.Trim()).ToList();
        var rows = new List<List<object?>>();
        for (var i = 1; i < lines.Length; i++)
        {
            var values = SplitCsvLine(lines[i]);
            if (values.Count != columns.Count)
            {
                throw RegistryException.Invalid($"input example line {i + 1}: has {values.Count} values for {columns.Count} columns.");
            }

            rows.Add(values.Select(v => ParseCsvValue(v.Trim())).ToList());
        }

        return (columns, rows);
    }

    private static object? ParseCsvValue(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : value;
    }

    private static List<string> SplitCsvLine(string line)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                values.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        values.Add(current.ToString());
        return values;
    }

    private static void CheckColumns(List<string> columns, ModelSignature? signature)
    {
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw RegistryException.Invalid("input example: a column name appears more than once.");
        }

        if (signature?.Inputs?.Columns is not { } expected || expected.Any(c => c.Name is null))
        {
            return;
        }

        var known = expected.Select(c => c.Name!).ToHashSet(StringComparer.Ordinal);
        var unknown = columns.FirstOrDefault(c => !known.Contains(c));
        if (unknown is not null)
        {
            throw RegistryException.Invalid($"input example column '{unknown}' is not an input of the model (inputs: {string.Join(", ", known)}).");
        }

        var missing = expected.FirstOrDefault(c => c.Required && !columns.Contains(c.Name!));
        if (missing is not null)
        {
            throw RegistryException.Invalid($"input example lacks the required column '{missing.Name}'.");
        }
    }

    private static byte[] WriteSplit(List<string> columns, List<List<object?>> rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columns");
            foreach (var column in columns)
            {
                writer.WriteStringValue(column);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data");
            foreach (var row in rows)
            {
                writer.WriteStartArray();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null: writer.WriteNullValue(); break;
                        case bool flag: writer.WriteBooleanValue(flag); break;
                        case long integer: writer.WriteNumberValue(integer); break;
                        case double number: writer.WriteNumberValue(number); break;
                        case string text: writer.WriteStringValue(text); break;
                        case JsonElement element: element.WriteTo(writer); break;
                        default: throw new InvalidOperationException($"Unexpected example value {value.GetType().Name}.");
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
