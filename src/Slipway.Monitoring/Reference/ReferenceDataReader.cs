using System.Globalization;
using nietras.SeparatedValues;
using Parquet;
using Parquet.Schema;
using Slipway.Core.Signatures;
using Slipway.Core.Statistics.Drift;

namespace Slipway.Monitoring.Reference;

/// <summary>
/// Reads a table (CSV with a header row, or Parquet; chosen by the extension <c>.csv</c> or <c>.parquet</c>) into one
/// <see cref="DriftColumn"/> per feature, the input of reference profiles and exact drift tests.
/// <para>
/// With a column-based model signature, exactly the signature's input columns are read, in the signature's order, and
/// typed by it: <c>integer</c>, <c>long</c>, <c>float</c> and <c>double</c> are numeric, <c>string</c> and <c>boolean</c>
/// categorical; <c>binary</c> and <c>datetime</c> columns are not compared and are left out. Other columns of the file
/// (a label, an id) are ignored. A signature column missing from the file is an error naming it.
/// </para>
/// <para>
/// Without a signature (or with a tensor-based one), every column is read: a column whose non-empty values are all
/// numbers is numeric, any other categorical. Empty CSV cells and Parquet nulls are missing values (NaN or null).
/// </para>
/// </summary>
public static class ReferenceDataReader
{
    /// <summary>Reads <paramref name="path"/> into drift columns, typed by <paramref name="signature"/> when it has input columns.</summary>
    /// <param name="path">A <c>.csv</c> or <c>.parquet</c> file.</param>
    /// <param name="signature">The model's signature, or null to infer types from the values.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ReferenceDataException">The file cannot be read as a table of the signature's columns.</exception>
    public static async Task<IReadOnlyList<DriftColumn>> ReadAsync(string path, ModelSignature? signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ReferenceDataException($"'{path}' does not exist.");
        }

        var wanted = WantedColumns(signature);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => (IReadOnlyList<DriftColumn>)ReadCsv(path, wanted, cancellationToken),
            ".parquet" => await ReadParquetAsync(path, wanted, cancellationToken).ConfigureAwait(false),
            _ => throw new ReferenceDataException(
                $"'{Path.GetFileName(path)}' has an unknown extension '{extension}'; reference and current data are read from .csv or .parquet files."),
        };
    }

    /// <summary>The kind a signature column type is compared as; null for types drift does not compare (binary, datetime).</summary>
    public static FeatureKind? KindOf(ColumnType type) => type switch
    {
        ColumnType.Integer or ColumnType.Long or ColumnType.Float or ColumnType.Double => FeatureKind.Numeric,
        ColumnType.String or ColumnType.Boolean => FeatureKind.Categorical,
        _ => null,
    };

    private static List<(string Name, FeatureKind Kind)>? WantedColumns(ModelSignature? signature)
    {
        var columns = signature?.Inputs?.Columns;
        if (columns is null)
        {
            return null;
        }

        var wanted = new List<(string, FeatureKind)>(columns.Count);
        foreach (var column in columns)
        {
            if (column.Name is not null && KindOf(column.Type) is { } kind)
            {
                wanted.Add((column.Name, kind));
            }
        }

        return wanted;
    }

    private static List<DriftColumn> ReadCsv(string path, List<(string Name, FeatureKind Kind)>? wanted, CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        SepReader reader;
        try
        {
            // Comma-separated always: Sep's detection would take a space in a column name for the separator.
            reader = Sep.New(',').Reader(o => o with { Unescape = true, Trim = SepTrim.Outer }).FromFile(path);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException)
        {
            throw new ReferenceDataException($"'{file}' is not a readable CSV file: {e.Message}", e);
        }

        using (reader)
        {
            if (reader.Header.IsEmpty)
            {
                throw new ReferenceDataException($"'{file}' is empty; a CSV file needs a header row.");
            }

            var names = reader.Header.ColNames;
            var targets = Targets(file, names, wanted);
            var numbers = new List<double>?[targets.Count];
            var texts = new List<string?>?[targets.Count];
            for (var t = 0; t < targets.Count; t++)
            {
                if (targets[t].Kind == FeatureKind.Numeric)
                {
                    numbers[t] = [];
                }
                else
                {
                    texts[t] = [];
                }
            }

            var row = 0;
            try
            {
                while (reader.MoveNext())
                {
                    row++;
                    if ((row & 0xFFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    var current = reader.Current;
                    for (var t = 0; t < targets.Count; t++)
                    {
                        var cell = current[targets[t].Index].Span.Trim();
                        if (numbers[t] is { } list)
                        {
                            list.Add(ParseNumber(cell, file, row, targets[t].Name));
                        }
                        else
                        {
                            texts[t]!.Add(cell.IsEmpty ? null : cell.ToString());
                        }
                    }
                }
            }
            catch (InvalidDataException e)
            {
                throw new ReferenceDataException($"{file}: row {row}: {e.Message}", e);
            }

            if (row == 0)
            {
                throw new ReferenceDataException($"'{file}' has a header but no rows.");
            }

            var result = new List<DriftColumn>(targets.Count);
            for (var t = 0; t < targets.Count; t++)
            {
                result.Add(numbers[t] is { } list
                    ? DriftColumn.Numeric(targets[t].Name, [.. list])
                    : Finish(targets[t].Name, texts[t]!, inferred: targets[t].Inferred));
            }

            return result;
        }
    }

    private static List<Target> Targets(string file, IReadOnlyList<string> names, List<(string Name, FeatureKind Kind)>? wanted)
    {
        var targets = new List<Target>();
        if (wanted is null)
        {
            for (var i = 0; i < names.Count; i++)
            {
                // Unknown kind: read as text, then numeric when every value parses.
                targets.Add(new Target(names[i], i, FeatureKind.Categorical, Inferred: true));
            }

            return targets;
        }

        foreach (var (name, kind) in wanted)
        {
            var index = IndexOf(names, name);
            if (index < 0)
            {
                throw new ReferenceDataException(
                    $"'{file}' has no column '{name}', which the model's signature needs (the file has: {string.Join(", ", names)}).");
            }

            targets.Add(new Target(name, index, kind, Inferred: false));
        }

        return targets;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static double ParseNumber(ReadOnlySpan<char> cell, string file, long row, string column)
    {
        if (cell.IsEmpty)
        {
            return double.NaN;
        }

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        if (cell.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        if (cell.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        throw new ReferenceDataException($"{file}: row {row}, column '{column}': '{cell.ToString()}' is not a number.");
    }

    // A column read as text becomes numeric when it was not typed by a signature and all its non-empty values are numbers.
    private static DriftColumn Finish(string name, List<string?> values, bool inferred)
    {
        if (inferred)
        {
            var numbers = new double[values.Count];
            var allNumbers = true;
            for (var i = 0; i < values.Count && allNumbers; i++)
            {
                var value = values[i];
                if (value is null)
                {
                    numbers[i] = double.NaN;
                }
                else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
                {
                    allNumbers = false;
                }
            }

            if (allNumbers)
            {
                return DriftColumn.Numeric(name, numbers);
            }
        }

        return DriftColumn.Categorical(name, [.. values]);
    }

    private static async Task<List<DriftColumn>> ReadParquetAsync(
        string path, List<(string Name, FeatureKind Kind)>? wanted, CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length == 0)
            {
                throw new ReferenceDataException($"'{file}' is empty.");
            }

            ParquetReader reader;
            try
            {
                reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                throw new ReferenceDataException($"'{file}' is not a readable Parquet file: {e.Message}", e);
            }

            await using (reader.ConfigureAwait(false))
            {
                var fields = reader.Schema.GetDataFields();
                var names = fields.Select(f => f.Name).ToArray();
                var targets = new List<(Target Target, DataField Field)>();
                if (wanted is null)
                {
                    foreach (var field in fields)
                    {
                        if (ParquetKind(field) is { } kind)
                        {
                            targets.Add((new Target(field.Name, 0, kind, Inferred: true), field));
                        }
                    }
                }
                else
                {
                    foreach (var target in Targets(file, names, wanted))
                    {
                        targets.Add((target, fields[target.Index]));
                    }
                }

                var numbers = new List<double>?[targets.Count];
                var texts = new List<string?>?[targets.Count];
                for (var t = 0; t < targets.Count; t++)
                {
                    if (targets[t].Target.Kind == FeatureKind.Numeric)
                    {
                        numbers[t] = [];
                    }
                    else
                    {
                        texts[t] = [];
                    }
                }

                long rowsBefore = 0;
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var rows = checked((int)group.RowCount);
                    for (var t = 0; t < targets.Count; t++)
                    {
                        var (target, field) = targets[t];
                        await ReadColumnAsync(group, field, rows, rowsBefore, file, target.Name, numbers[t], texts[t], cancellationToken).ConfigureAwait(false);
                    }

                    rowsBefore += rows;
                }

                if (rowsBefore == 0)
                {
                    throw new ReferenceDataException($"'{file}' has no rows.");
                }

                var result = new List<DriftColumn>(targets.Count);
                for (var t = 0; t < targets.Count; t++)
                {
                    result.Add(numbers[t] is { } list
                        ? DriftColumn.Numeric(targets[t].Target.Name, [.. list])
                        : DriftColumn.Categorical(targets[t].Target.Name, [.. texts[t]!]));
                }

                return result;
            }
        }
    }

    private static FeatureKind? ParquetKind(DataField field)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (IsText(type) || type == typeof(bool))
        {
            return FeatureKind.Categorical;
        }

        return type == typeof(double) || type == typeof(float) || type == typeof(long) || type == typeof(int)
            || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(decimal)
            ? FeatureKind.Numeric
            : null;
    }

    // Parquet.Net reports UTF-8 string columns as ReadOnlyMemory<char>; they read into strings all the same.
    private static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    private static async Task ReadColumnAsync(
        ParquetRowGroupReader group, DataField field, int rows, long rowsBefore, string file, string column,
        List<double>? numbers, List<string?>? texts, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (IsText(type))
        {
            var values = new string?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < rows; r++)
            {
                if (numbers is not null)
                {
                    numbers.Add(ParseNumber((values[r] ?? string.Empty).AsSpan().Trim(), file, rowsBefore + r + 1, column));
                }
                else
                {
                    texts!.Add(string.IsNullOrEmpty(values[r]) ? null : values[r]);
                }
            }

            return;
        }

        if (type == typeof(bool))
        {
            var values = await ReadNullableAsync<bool>(group, field, rows, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < rows; r++)
            {
                if (numbers is not null)
                {
                    numbers.Add(values[r] is { } b ? (b ? 1 : 0) : double.NaN);
                }
                else
                {
                    texts!.Add(values[r] is { } b ? (b ? "true" : "false") : null);
                }
            }

            return;
        }

        var doubles = type switch
        {
            _ when type == typeof(double) => Widen(await ReadNullableAsync<double>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(float) => Widen(await ReadNullableAsync<float>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(long) => Widen(await ReadNullableAsync<long>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(int) => Widen(await ReadNullableAsync<int>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(short) => Widen(await ReadNullableAsync<short>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(sbyte) => Widen(await ReadNullableAsync<sbyte>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(byte) => Widen(await ReadNullableAsync<byte>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(ushort) => Widen(await ReadNullableAsync<ushort>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(uint) => Widen(await ReadNullableAsync<uint>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(ulong) => Widen(await ReadNullableAsync<ulong>(group, field, rows, cancellationToken).ConfigureAwait(false), v => v),
            _ when type == typeof(decimal) => Widen(await ReadNullableAsync<decimal>(group, field, rows, cancellationToken).ConfigureAwait(false), v => (double)v),
            _ => throw new ReferenceDataException(
                $"{file}: column '{column}' has Parquet type {type.Name}; drift reads numbers, booleans and strings."),
        };

        for (var r = 0; r < rows; r++)
        {
            if (numbers is not null)
            {
                numbers.Add(doubles[r]);
            }
            else
            {
                texts!.Add(double.IsNaN(doubles[r]) ? null : doubles[r].ToString("R", CultureInfo.InvariantCulture));
            }
        }
    }

    private static async Task<T?[]> ReadNullableAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        if (field.IsNullable)
        {
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var plain = new T[rows];
            await group.ReadAsync(field, plain.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < rows; r++)
            {
                values[r] = plain[r];
            }
        }

        return values;
    }

    private static double[] Widen<T>(T?[] values, Func<T, double> widen)
        where T : struct
    {
        var result = new double[values.Length];
        for (var r = 0; r < values.Length; r++)
        {
            result[r] = values[r] is { } v ? widen(v) : double.NaN;
        }

        return result;
    }

    private readonly record struct Target(string Name, int Index, FeatureKind Kind, bool Inferred);
}
