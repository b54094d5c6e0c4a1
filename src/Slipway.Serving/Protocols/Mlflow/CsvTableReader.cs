using System.Globalization;
using System.Text;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Reads a <c>text/csv</c> body as pandas' <c>read_csv</c> does with the signature's column types: a header row, then
/// one record per line; RFC 4180 quoting (quoted fields may hold commas, line breaks and doubled quotes); blank lines
/// skipped; an empty field is a missing value; short rows are padded with missing values; long rows are an error.
/// Values are typed by the model input of the same name: text for string inputs, <c>True</c>/<c>False</c> for booleans,
/// numbers otherwise.
/// </summary>
internal static class CsvTableReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static DecodedInput Read(ReadOnlySpan<byte> body, ModelContract contract)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var position = 0;
        var field = new List<byte>();
        var header = new List<string>();
        var line = 1;
        if (!ReadRecord(body, ref position, ref line, header, field, names: true))
        {
            throw Failed("No columns to parse from file");
        }

        var columns = new ValueColumn[header.Count];
        var types = new TensorType?[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i].Length == 0)
            {
                header[i] = $"Unnamed: {i}";
            }

            columns[i] = new ValueColumn(header[i]);
            types[i] = TargetType(contract, header[i], i);
        }

        try
        {
            while (position < body.Length)
            {
                if (body[position] is (byte)'\r' or (byte)'\n')
                {
                    // A blank line (pandas skips them).
                    position += body[position] == (byte)'\r' && position + 1 < body.Length && body[position + 1] == (byte)'\n' ? 2 : 1;
                    line++;
                    continue;
                }

                var recordLine = line;
                var cells = 0;
                var ended = false;
                while (!ended)
                {
                    var raw = ReadField(body, ref position, ref line, field, out ended, out _);
                    if (cells >= columns.Length)
                    {
                        throw Failed($"Error tokenizing data. C error: Expected {columns.Length} fields in line {recordLine}, saw {cells + 1}");
                    }

                    AddValue(columns[cells], types[cells], raw, cells);
                    cells++;
                }

                for (; cells < columns.Length; cells++)
                {
                    AddValue(columns[cells], types[cells], [], cells);
                }
            }

            var tensors = new List<Tensor>(columns.Length);
            foreach (var column in columns)
            {
                tensors.Add(column.ToTensor());
            }

            return new DecodedInput(tensors, IsTable: true);
        }
        catch (DecoderFallbackException e)
        {
            throw Failed($"'utf-8' codec can't decode the input: {e.Message}");
        }
        finally
        {
            foreach (var column in columns)
            {
                column.Release();
            }
        }
    }

    private static TensorType? TargetType(ModelContract contract, string name, int index)
    {
        var inputs = contract.Inputs;
        var unnamedColumns = contract.Signature.Inputs?.Columns is { Count: > 0 } c && c[0].Name is null;
        var unnamedTensor = contract.Signature.Inputs?.Tensors is { Count: 1 } t && t[0].Name is null;
        if (unnamedTensor)
        {
            return inputs[0].Type;
        }

        if (unnamedColumns)
        {
            return index < inputs.Count ? inputs[index].Type : null;
        }

        foreach (var input in inputs)
        {
            if (input.Name == name)
            {
                return input.Type;
            }
        }

        return null;
    }

    private static void AddValue(ValueColumn column, TensorType? type, ReadOnlySpan<byte> raw, int index)
    {
        if (type == TensorType.String)
        {
            column.AddScalarCell(raw.IsEmpty ? null : StrictUtf8.GetString(raw));
            return;
        }

        if (raw.IsEmpty)
        {
            if (type is TensorType.Bool || (type is { } t && t != TensorType.Float16 && t != TensorType.Float32 && t != TensorType.Float64))
            {
                throw Failed($"Integer column has NA values in column {index}");
            }

            column.AddNullCell(column.Rows);
            return;
        }

        if (type == TensorType.Bool)
        {
            column.AddScalarCell(raw.SequenceEqual("True"u8) || raw.SequenceEqual("true"u8) || raw.SequenceEqual("TRUE"u8)
                ? true
                : raw.SequenceEqual("False"u8) || raw.SequenceEqual("false"u8) || raw.SequenceEqual("FALSE"u8)
                    ? false
                    : throw Failed($"Unable to parse string \"{StrictUtf8.GetString(raw)}\" as a boolean in column {index}"));
            return;
        }

        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            column.AddScalarCell(integer);
        }
        else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            column.AddScalarCell(number);
        }
        else if (raw.SequenceEqual("nan"u8) || raw.SequenceEqual("NaN"u8) || raw.SequenceEqual("NA"u8) || raw.SequenceEqual("null"u8))
        {
            column.AddNullCell(column.Rows);
        }
        else if (raw.SequenceEqual("inf"u8) || raw.SequenceEqual("Infinity"u8))
        {
            column.AddScalarCell(double.PositiveInfinity);
        }
        else if (raw.SequenceEqual("-inf"u8) || raw.SequenceEqual("-Infinity"u8))
        {
            column.AddScalarCell(double.NegativeInfinity);
        }
        else if (type is null)
        {
            // A column the model does not take: kept as text and ignored by binding.
            column.AddScalarCell(StrictUtf8.GetString(raw));
        }
        else
        {
            throw Failed($"Unable to parse string \"{StrictUtf8.GetString(raw)}\" at position {column.Rows} in column {index}");
        }
    }

    /// <summary>Reads the header record into <paramref name="names"/>; false when the body is empty.</summary>
    private static bool ReadRecord(ReadOnlySpan<byte> body, ref int position, ref int line, List<string> output, List<byte> field, bool names)
    {
        // Skip blank lines before the header.
        while (position < body.Length && (body[position] == (byte)'\n' || body[position] == (byte)'\r'))
        {
            position++;
        }

        if (position >= body.Length)
        {
            return false;
        }

        var ended = false;
        while (!ended)
        {
            var raw = ReadField(body, ref position, ref line, field, out ended, out _);
            try
            {
                output.Add(StrictUtf8.GetString(raw));
            }
            catch (DecoderFallbackException e)
            {
                throw Failed($"'utf-8' codec can't decode the header: {e.Message}");
            }
        }

        _ = names;
        return true;
    }

    /// <summary>
    /// Reads one field at <paramref name="position"/>; <paramref name="endOfRecord"/> when a line break or the end
    /// followed it, <paramref name="atEnd"/> when the body ended.
    /// </summary>
    private static ReadOnlySpan<byte> ReadField(ReadOnlySpan<byte> body, ref int position, ref int line, List<byte> field, out bool endOfRecord, out bool atEnd)
    {
        endOfRecord = false;
        atEnd = false;
        if (position >= body.Length)
        {
            endOfRecord = true;
            atEnd = true;
            return [];
        }

        ReadOnlySpan<byte> value;
        if (body[position] == (byte)'"')
        {
            // Quoted: copy out, turning "" into ".
            field.Clear();
            var start = line;
            position++;
            while (true)
            {
                if (position >= body.Length)
                {
                    throw Failed($"Error tokenizing data. C error: EOF inside string starting at row {start}");
                }

                var b = body[position++];
                if (b == (byte)'"')
                {
                    if (position < body.Length && body[position] == (byte)'"')
                    {
                        field.Add((byte)'"');
                        position++;
                        continue;
                    }

                    break;
                }

                if (b == (byte)'\n')
                {
                    line++;
                }

                field.Add(b);
            }

            value = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(field);
            if (position < body.Length && body[position] is not ((byte)',' or (byte)'\r' or (byte)'\n'))
            {
                throw Failed($"Error tokenizing data. C error: unexpected character after a closing quote in line {line}");
            }
        }
        else
        {
            var start = position;
            while (position < body.Length && body[position] is not ((byte)',' or (byte)'\r' or (byte)'\n'))
            {
                position++;
            }

            value = body[start..position];
        }

        if (position >= body.Length)
        {
            endOfRecord = true;
            atEnd = true;
        }
        else if (body[position] == (byte)',')
        {
            position++;
        }
        else
        {
            if (body[position] == (byte)'\r')
            {
                position++;
            }

            if (position < body.Length && body[position] == (byte)'\n')
            {
                position++;
            }

            line++;
            endOfRecord = true;
            atEnd = position >= body.Length;
        }

        return value;
    }

    private static ScoringException Failed(string error) =>
        ScoringException.BadRequest(
            "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the "
            + $"`pandas.DataFrame.to_csv()` method. Error: '{error}'");
}
