using Parquet;
using Parquet.Schema;

namespace Slipway.Monitoring.Snapshots;

/// <summary>
/// Writes and reads Parquet LIST columns (one list per row, possibly empty) through the row group writer's raw API:
/// flat values with repetition levels (0 starts a row) and definition levels (the item's maximum for a value, one less
/// for an empty list).
/// </summary>
internal static class ParquetLists
{
    /// <summary>A non-null list of non-null <typeparamref name="T"/> items.</summary>
    public static ListField Field<T>(string name) => new(name, new DataField(ParquetListElement, typeof(T), isNullable: false));

    private const string ParquetListElement = "element";

    public static Task WriteAsync<T>(ParquetRowGroupWriter group, ListField list, IReadOnlyList<IReadOnlyList<T>> rows, CancellationToken cancellationToken)
        where T : struct
    {
        var item = (DataField)list.Item;
        var values = new List<T>();
        var definitions = new List<int>();
        var repetitions = new List<int>();
        foreach (var row in rows)
        {
            if (row.Count == 0)
            {
                definitions.Add(item.MaxDefinitionLevel - 1);
                repetitions.Add(0);
                continue;
            }

            for (var i = 0; i < row.Count; i++)
            {
                values.Add(row[i]);
                definitions.Add(item.MaxDefinitionLevel);
                repetitions.Add(i == 0 ? 0 : item.MaxRepetitionLevel);
            }
        }

        return group.WriteAllPartsAsync(item, new ReadOnlyMemory<T>([.. values]), new ReadOnlyMemory<int>([.. definitions]), new ReadOnlyMemory<int>([.. repetitions]), cancellationToken);
    }

    public static async Task<List<T[]>> ReadAsync<T>(ParquetRowGroupReader group, ListField list, CancellationToken cancellationToken)
        where T : struct
    {
        var item = (DataField)list.Item;
        var levels = checked((int)group.GetMetadata(item)!.MetaData!.NumValues);
        var values = new T[levels];
        var definitions = new int[levels];
        var repetitions = new int[levels];
        await group.ReadRawAsync(item, values.AsMemory(), definitions.AsMemory(), repetitions.AsMemory(), cancellationToken).ConfigureAwait(false);
        return Split(values, definitions, repetitions, item.MaxDefinitionLevel);
    }

    public static async Task<List<string[]>> ReadStringsAsync(ParquetRowGroupReader group, ListField list, CancellationToken cancellationToken)
    {
        var item = (DataField)list.Item;
        var chars = await ReadAsync<ReadOnlyMemory<char>>(group, list, cancellationToken).ConfigureAwait(false);
        return chars.Select(row => row.Select(c => c.ToString()).ToArray()).ToList();
    }

    private static List<T[]> Split<T>(T[] values, int[] definitions, int[] repetitions, int maxDefinition)
    {
        var rows = new List<T[]>();
        var current = new List<T>();
        var next = 0;
        for (var i = 0; i < definitions.Length; i++)
        {
            if (repetitions[i] == 0 && i > 0)
            {
                rows.Add([.. current]);
                current.Clear();
            }

            if (definitions[i] == maxDefinition)
            {
                current.Add(values[next++]);
            }
        }

        if (definitions.Length > 0)
        {
            rows.Add([.. current]);
        }

        return rows;
    }
}
