using Parquet;
using Parquet.Schema;
using Slipway.Core.Statistics.Drift;

namespace Slipway.Monitoring.Reference;

/// <summary>
/// Writes drift columns to Parquet, the form reference data is stored in with a model version: numeric columns as
/// optional <c>double</c> (missing = null), categorical columns as optional UTF-8 strings, one row group.
/// <see cref="ReferenceDataReader"/> reads the file back into the same columns.
/// </summary>
public static class ReferenceDataWriter
{
    /// <summary>Writes <paramref name="columns"/> (all of the same length) to <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(Stream destination, IReadOnlyList<DriftColumn> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("reference data needs at least one column.", nameof(columns));
        }

        var rows = columns[0].Length;
        var fields = new DataField[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Length != rows)
            {
                throw new ArgumentException($"column '{columns[c].Name}' has {columns[c].Length} values, the first has {rows}.", nameof(columns));
            }

            fields[c] = columns[c].Kind == FeatureKind.Numeric
                ? new DataField<double?>(columns[c].Name)
                : new DataField(columns[c].Name, typeof(string), isNullable: true);
        }

        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), destination, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns.Count; c++)
            {
                if (columns[c].Numbers is { } numbers)
                {
                    var values = new double?[rows];
                    for (var r = 0; r < rows; r++)
                    {
                        values[r] = double.IsNaN(numbers[r]) ? null : numbers[r];
                    }

                    await group.WriteAsync(fields[c], new ReadOnlyMemory<double?>(values), null, null, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await group.WriteAsync(fields[c], columns[c].Categories!, null).ConfigureAwait(false);
                }
            }
        }
    }
}
