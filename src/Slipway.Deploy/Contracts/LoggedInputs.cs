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
        string? file = null;
        List<LoggedInput> inputs = [];
        await foreach (var group in InferenceLogScan.RowGroupsAsync(monitoringDirectory, model, since, until, newestFirst: true, cancellationToken).ConfigureAwait(false))
        {
            // Every row group of a file shares its logged columns: group them into inputs once per file.
            if (group.Path != file)
            {
                file = group.Path;
                inputs = Inputs(group.Columns);
            }

            var n = group.RowCount;
            var keep = new List<int>();
            for (var r = 0; r < n; r++)
            {
                if (!group.IsInWindow(r))
                {
                    continue;
                }

                inWindow++;
                var version = group.Versions[r] ?? string.Empty;
                if (!schemas.TryGetValue(version, out var schema))
                {
                    schemas[version] = schema = new Dictionary<string, LoggedInput>(StringComparer.Ordinal);
                }

                foreach (var input in inputs)
                {
                    schema.TryAdd(input.Name, input);
                }

                if (group.Timestamps[r] > latest)
                {
                    latest = group.Timestamps[r];
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
                    var field = group.Field(column);
                    if (field is null)
                    {
                        continue;
                    }

                    var values = await group.ReadValuesAsync(field, cancellationToken).ConfigureAwait(false);
                    for (var k = 0; k < keep.Count; k++)
                    {
                        rows[start + k][column] = values[keep[k]];
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
    private static List<LoggedInput> Inputs(IReadOnlyList<LoggedColumn> logged)
    {
        var byName = new Dictionary<string, (string Type, List<(int Element, string Column)> Columns, bool Shape)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var item in logged)
        {
            if (item.IsOutput)
            {
                continue;
            }

            var tensor = item.Tensor ?? string.Empty;
            if (!byName.TryGetValue(tensor, out var entry))
            {
                entry = (item.Type ?? string.Empty, [], false);
                order.Add(tensor);
            }

            if (item.IsShape)
            {
                entry.Shape = true;
            }
            else
            {
                entry.Columns.Add((item.Element, item.Column ?? string.Empty));
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
}
