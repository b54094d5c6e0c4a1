using Parquet.Schema;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>The schema and buffered columns of a Parquet log whose files rotate (the inference log, the feedback log).</summary>
internal interface IParquetLayout
{
    ParquetSchema Schema { get; }

    IReadOnlyList<LogColumn> Columns { get; }

    IReadOnlyDictionary<string, string> Metadata { get; }

    int BufferedRows { get; }
}
