using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Slipway.Monitoring;
using Slipway.Monitoring.InferenceLog;
using Slipway.Serving.Tensors;

namespace Slipway.Deploy.Contracts;

/// <summary>
/// The inputs a model received recently, read back from its inference log (completed files only): which inputs were
/// logged, with their types and per-row widths, and up to a given number of the most recent rows' values. Rows are
/// read newest file first (files are named by hour), so a sample of the latest traffic costs one or two files, not a
/// day of them.
/// </summary>
internal sealed class LoggedInputs
{
    /// <summary>The metadata key naming which column holds which tensor (<c>InferenceLogLayout.ColumnsMetadataKey</c>).</summary>
    private const string ColumnsMetadataKey = "slipway.columns";

    private LoggedInputs(IReadOnlyList<LoggedInput> schema, string? version, long rowsInWindow, IReadOnlyList<LoggedInput> rowInputs, IReadOnlyList<Dictionary<string, object?>> rows)
    {
        Schema = schema;
        Version = version;
        RowsInWindow = rowsInWindow;
        RowInputs = rowInputs;
        Rows = rows;
    }

    /// <summary>
    /// The inputs of the version logged most recently in the window, sorted by name: what callers send today, as the
    /// model serving today took it. Empty when nothing was logged.
    /// </summary>
    public IReadOnlyList<LoggedInput> Schema { get; }

    /// <summary>The version logged most recently in the window, or null.</summary>
    public string? Version { get; }

    /// <summary>Rows logged in the window (all of them, not only those read).</summary>
    public long RowsInWindow { get; }

    /// <summary>The inputs found in <see cref="Rows"/> (a union when the rows come from several versions).</summary>
    public IReadOnlyList<LoggedInput> RowInputs { get; }

    /// <summary>The rows read, newest files first: log column name to value (double, string or bool; null when missing).</summary>
    public IReadOnlyList<Dictionary<string, object?>> Rows { get; }

    /// <summary>Reads the log of <paramref name="model"/> for [<paramref name="since"/>, <paramref name="until"/>), keeping up to <paramref name="maxRows"/> rows' values.</summary>
    public static async Task<LoggedInputs> ReadAsync(
        string monitoringDirectory, string model, DateTimeOffset since, DateTimeOffset until, int maxRows, CancellationToken cancellationToken)
    {
        var rows = new List<Dictionary<string, object?>>();
        var rowInputs = new Dictionary<string, LoggedInput>(StringComparer.Ordinal);
        var latest = DateTime.MinValue;
        string? latestVersion = null;
        var schemas = new Dictionary<string, Dictionary<string, LoggedInput>>(StringComparer.Ordinal);
        long inWindow = 0;
        for (var day = DateOnly.FromDateTime(until.UtcDateTime); day >= DateOnly.FromDateTime(since.UtcDateTime); day = day.AddDays(-1))
        {
            var folder = Path.Combine(monitoringDirectory, MonitoringPaths.Inferences, MonitoringPaths.Partition(model, day));
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var files = Directory.GetFiles(folder, "*.parquet");
            Array.Sort(files, StringComparer.Ordinal);
            Array.Reverse(files);
            foreach (var file in files)
            {
                var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!reader.CustomMetadata.TryGetValue(ColumnsMetadataKey, out var json))
                    {
                        continue;
                    }

                    var inputs = Inputs(json);
                    var fields = reader.Schema.GetDataFields();
                    var timestampField = fields.First(f => f.Name == "timestamp");
                    var versionField = fields.First(f => f.Name == "version");
                    for (var g = 0; g < reader.RowGroupCount; g++)
                    {
                        using var group = reader.OpenRowGroupReader(g);
                        var n = checked((int)group.RowCount);
                        var stamps = new DateTime[n];
                        await group.ReadAsync(timestampField, stamps.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                        var versions = new string?[n];
                        await group.ReadAsync(versionField, versions.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                        var keep = new List<int>();
                        for (var r = 0; r < n; r++)
                        {
                            if (stamps[r] < since.UtcDateTime || stamps[r] >= until.UtcDateTime)
                            {
                                continue;
                            }

                            inWindow++;
                            var version = versions[r] ?? string.Empty;
                            if (!schemas.TryGetValue(version, out var schema))
                            {
                                schemas[version] = schema = new Dictionary<string, LoggedInput>(StringComparer.Ordinal);
                            }

                            foreach (var input in inputs)
                            {
                                schema.TryAdd(input.Name, input);
                            }

                            if (stamps[r] > latest)
                            {
                                latest = stamps[r];
                                latestVersion = version;
                            }

                            if (rows.Count + keep.Count < maxRows)
                            {
                                keep.Add(r);
                            }
                        }

                        if (keep.Count == 0)
                        {
                            continue;
                        }

                        var start = rows.Count;
                        foreach (var _ in keep)
                        {
                            rows.Add(new Dictionary<string, object?>(StringComparer.Ordinal));
                        }

                        foreach (var input in inputs)
                        {
                            rowInputs.TryAdd(input.Name, input);
                            foreach (var column in input.Columns)
                            {
                                var field = fields.FirstOrDefault(f => f.Name == column);
                                if (field is null)
                                {
                                    continue;
                                }

                                var values = await ReadColumnAsync(group, field, n, cancellationToken).ConfigureAwait(false);
                                for (var k = 0; k < keep.Count; k++)
                                {
                                    rows[start + k][column] = values[keep[k]];
                                }
                            }
                        }
                    }
                }
            }
        }

        IReadOnlyList<LoggedInput> current = latestVersion is not null && schemas.TryGetValue(latestVersion, out var found)
            ? [.. found.Values.OrderBy(i => i.Name, StringComparer.Ordinal)]
            : [];
        return new LoggedInputs(current, latestVersion, inWindow, [.. rowInputs.Values], rows);
    }

    /// <summary>The inputs a file's <c>slipway.columns</c> metadata lists, their element columns in order.</summary>
    private static List<LoggedInput> Inputs(string json)
    {
        using var document = JsonDocument.Parse(json);
        var byName = new Dictionary<string, (string Type, List<(int Element, string Column)> Columns, bool Shape)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.GetProperty("is_output").GetBoolean())
            {
                continue;
            }

            var tensor = item.GetProperty("tensor").GetString() ?? string.Empty;
            if (!byName.TryGetValue(tensor, out var entry))
            {
                entry = (item.GetProperty("type").GetString() ?? string.Empty, [], false);
                order.Add(tensor);
            }

            if (item.GetProperty("is_shape").GetBoolean())
            {
                entry.Shape = true;
            }
            else
            {
                entry.Columns.Add((item.GetProperty("element").GetInt32(), item.GetProperty("column").GetString() ?? string.Empty));
            }

            byName[tensor] = entry;
        }

        var inputs = new List<LoggedInput>(order.Count);
        foreach (var name in order)
        {
            var (type, columns, shape) = byName[name];
            var dtype = TensorTypes.TryParseV2Name(type, out var parsed) ? parsed.ToNumpyName() : type;
            inputs.Add(shape
                ? new LoggedInput(name, dtype, [], -1)
                : new LoggedInput(name, dtype, [.. columns.OrderBy(c => c.Element).Select(c => c.Column)], columns.Count));
        }

        return inputs;
    }

    /// <summary>A column's values as double (numbers), string or bool, null when missing.</summary>
    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int n, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        var result = new object?[n];
        // Parquet.Net reports UTF-8 string columns as ReadOnlyMemory<char>; they read into strings all the same.
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var texts = new string?[n];
            await group.ReadAsync(field, texts.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            texts.CopyTo(result, 0);
        }
        else if (type == typeof(bool))
        {
            var flags = new bool?[n];
            await group.ReadAsync(field, flags.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < n; r++)
            {
                result[r] = flags[r];
            }
        }
        else if (type == typeof(double))
        {
            await NumbersAsync<double>(group, field, result, v => v, cancellationToken).ConfigureAwait(false);
        }
        else if (type == typeof(float))
        {
            await NumbersAsync<float>(group, field, result, v => v, cancellationToken).ConfigureAwait(false);
        }
        else if (type == typeof(long))
        {
            await NumbersAsync<long>(group, field, result, v => v, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await NumbersAsync<int>(group, field, result, v => v, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static async Task NumbersAsync<T>(ParquetRowGroupReader group, DataField field, object?[] result, Func<T, double> convert, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[result.Length];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        for (var r = 0; r < result.Length; r++)
        {
            result[r] = values[r] is { } v ? convert(v) : null;
        }
    }
}
