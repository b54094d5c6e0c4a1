using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;
using Slipway.Serving;
using Slipway.Serving.Tensors;

namespace Slipway.Monitoring.Inference;

/// <summary>
/// The streaming profiles of one model version: a <see cref="DatasetProfileBuilder"/> per open UTC hour fed from the
/// records' tensors, the closed hours' profiles, and the reference profile. Features are the logged columns: every
/// input and output with one value per row, and one feature per element (<c>NAME_0</c> ...) for those with up to
/// <see cref="InferenceMonitorOptions.MaxElementsPerRow"/> values per row; numbers are numeric features, text and
/// booleans categorical. The writer adds; any thread reads under the lock.
/// </summary>
internal sealed class VersionProfiles
{
    private readonly Source[] _sources;
    private readonly ProfileFeature[] _features;
    private readonly Dictionary<DateTime, DatasetProfileBuilder> _open = [];
    private readonly SortedDictionary<DateTime, DatasetProfile> _closed = [];
    private double[] _scratch = new double[256];

    public VersionProfiles(ModelContract contract, DatasetProfile? reference, int maxElementsPerRow)
    {
        Model = contract.Name;
        Version = contract.Version;
        Reference = reference;
        var sources = new List<Source>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Add(contract.Inputs, isOutput: false, maxElementsPerRow, names, sources);
        Add(contract.Outputs, isOutput: true, maxElementsPerRow, names, sources);
        _sources = [.. sources];
        _features = [.. sources.Select(s => s.Feature)];
    }

    public string Model { get; }

    public string Version { get; }

    public DatasetProfile? Reference { get; }

    public Lock Lock { get; } = new();

    /// <summary>The hours whose profile changed since the last snapshot.</summary>
    public HashSet<DateTime> Dirty { get; } = [];

    public IReadOnlyCollection<DateTime> OpenHours => _open.Keys;

    /// <summary>Adds a record's rows to its hour. Caller holds <see cref="Lock"/>.</summary>
    public void Add(InferenceRecord record, DateTime hour)
    {
        if (!_open.TryGetValue(hour, out var builder))
        {
            builder = new DatasetProfileBuilder(_features, Reference);
            if (_closed.Remove(hour, out var earlier))
            {
                // A late record for an hour already closed: continue from what it had.
                builder.Merge(earlier);
            }

            _open.Add(hour, builder);
        }

        var rows = checked((int)record.Rows);
        for (var i = 0; i < _sources.Length; i++)
        {
            var source = _sources[i];
            var tensor = InferenceLog.InferenceLogLayout.Find(source.IsOutput ? record.Outputs : record.Inputs, source.Tensor, source.Position);
            if (tensor is null || tensor.Data.Length != (long)rows * source.PerRow)
            {
                MissingRows(builder, i, rows);
                continue;
            }

            Feed(builder, i, tensor.Data, source.Element, source.PerRow, rows);
        }

        builder.AddRows(rows);
        Dirty.Add(hour);
    }

    /// <summary>The profile of an hour, open or closed; null when it had no rows. Caller holds <see cref="Lock"/>.</summary>
    public DatasetProfile? Hour(DateTime hour) =>
        _open.TryGetValue(hour, out var builder) ? builder.ToProfile(hour, hour.AddHours(1))
        : _closed.GetValueOrDefault(hour);

    /// <summary>Closes an open hour: its profile moves to the closed ones. Caller holds <see cref="Lock"/>.</summary>
    public DatasetProfile? Close(DateTime hour)
    {
        if (!_open.Remove(hour, out var builder))
        {
            return _closed.GetValueOrDefault(hour);
        }

        var profile = builder.ToProfile(hour, hour.AddHours(1));
        _closed[hour] = profile;
        return profile;
    }

    /// <summary>Remembers a closed hour read from a snapshot (after a restart). Caller holds <see cref="Lock"/>.</summary>
    public void Restore(DateTime hour, DatasetProfile profile)
    {
        if (!_open.ContainsKey(hour))
        {
            _closed.TryAdd(hour, profile);
        }
    }

    /// <summary>Forgets closed hours before <paramref name="before"/>. Caller holds <see cref="Lock"/>.</summary>
    public void Forget(DateTime before)
    {
        while (_closed.Count > 0 && _closed.First().Key < before)
        {
            _closed.Remove(_closed.First().Key);
        }
    }

    /// <summary>The profiles of the hours in [from, to) held in memory, open ones included. Caller holds <see cref="Lock"/>.</summary>
    public List<(DateTime Hour, DatasetProfile Profile)> Hours(DateTime from, DateTime to)
    {
        var list = new List<(DateTime, DatasetProfile)>();
        foreach (var (hour, profile) in _closed)
        {
            if (hour >= from && hour < to)
            {
                list.Add((hour, profile));
            }
        }

        foreach (var (hour, builder) in _open)
        {
            if (hour >= from && hour < to)
            {
                list.Add((hour, builder.ToProfile(hour, hour.AddHours(1))));
            }
        }

        return list;
    }

    private static void MissingRows(DatasetProfileBuilder builder, int index, int rows)
    {
        if (builder.Features[index].Kind == FeatureKind.Numeric)
        {
            var numeric = builder.Numeric(index);
            for (var r = 0; r < rows; r++)
            {
                numeric.Add(double.NaN);
            }
        }
        else
        {
            builder.Categorical(index).Add(null, rows);
        }
    }

    private void Feed(DatasetProfileBuilder builder, int index, Array data, int element, int perRow, int rows)
    {
        if (builder.Features[index].Kind == FeatureKind.Categorical)
        {
            var categorical = builder.Categorical(index);
            switch (data)
            {
                case string?[] texts when perRow == 1:
                    categorical.Add(texts.AsSpan(0, rows));
                    break;
                case bool[] flags when perRow == 1:
                    categorical.Add(flags.AsSpan(0, rows));
                    break;
                case string?[] texts:
                    for (var r = 0; r < rows; r++)
                    {
                        categorical.Add(texts[element + (r * perRow)]);
                    }

                    break;
                case bool[] flags:
                    for (var r = 0; r < rows; r++)
                    {
                        categorical.Add(flags[element + (r * perRow)] ? CategoricalProfileBuilder.True : CategoricalProfileBuilder.False);
                    }

                    break;
            }

            return;
        }

        var numeric = builder.Numeric(index);
        if (perRow == 1)
        {
            // One value per row: the tensor's own array is the column, profiled in place.
            switch (data)
            {
                case double[] v:
                    numeric.Add(v.AsSpan(0, rows));
                    return;
                case float[] v:
                    numeric.Add(v.AsSpan(0, rows));
                    return;
                case long[] v:
                    numeric.Add(v.AsSpan(0, rows));
                    return;
                case int[] v:
                    numeric.Add(v.AsSpan(0, rows));
                    return;
            }
        }

        if (_scratch.Length < rows)
        {
            _scratch = new double[Math.Max(rows, _scratch.Length * 2)];
        }

        var scratch = _scratch.AsSpan(0, rows);
        for (var r = 0; r < rows; r++)
        {
            scratch[r] = ValueAt(data, element + (r * perRow));
        }

        numeric.Add(scratch);
    }

    private static double ValueAt(Array data, int i) => data switch
    {
        double[] v => v[i],
        float[] v => v[i],
        Half[] v => (double)v[i],
        long[] v => v[i],
        int[] v => v[i],
        short[] v => v[i],
        sbyte[] v => v[i],
        byte[] v => v[i],
        ushort[] v => v[i],
        uint[] v => v[i],
        ulong[] v => v[i],
        _ => double.NaN,
    };

    private static void Add(IReadOnlyList<TensorInfo> tensors, bool isOutput, int maxElementsPerRow, HashSet<string> names, List<Source> sources)
    {
        for (var position = 0; position < tensors.Count; position++)
        {
            var info = tensors[position];
            var perRow = TensorRows.ElementsPerRow(info);
            if (perRow < 1 || perRow > maxElementsPerRow)
            {
                continue;
            }

            var kind = info.Type is TensorType.String or TensorType.Bool ? FeatureKind.Categorical : FeatureKind.Numeric;
            for (var e = 0; e < perRow; e++)
            {
                var name = perRow == 1 ? info.Name : info.Name + "_" + e.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!names.Add(name))
                {
                    name = (isOutput ? "output_" : "input_") + name;
                    if (!names.Add(name))
                    {
                        continue;
                    }
                }

                sources.Add(new Source(new ProfileFeature(name, kind), info.Name, position, isOutput, e, perRow));
            }
        }
    }

    // Position: the tensor's index among the contract's inputs (or outputs), where a record usually holds it.
    private sealed record Source(ProfileFeature Feature, string Tensor, int Position, bool IsOutput, int Element, int PerRow);
}
