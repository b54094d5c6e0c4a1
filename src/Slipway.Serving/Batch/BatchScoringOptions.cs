namespace Slipway.Serving.Batch;

/// <summary>How <see cref="BatchScorer"/> splits and parallelises the work.</summary>
public sealed record BatchScoringOptions
{
    /// <summary>Rows per chunk read from a CSV file (Parquet files go one row group per chunk). Default 16,384.</summary>
    public int ChunkRows { get; init; } = 16_384;

    /// <summary>Chunks scored at the same time, each on its own thread. Default: the processor count.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
}

/// <summary>Where a batch scoring run stands, reported after each chunk is written.</summary>
/// <param name="Rows">Rows written so far.</param>
/// <param name="Fraction">How far through the input file reading is, from 0 to 1.</param>
public readonly record struct BatchProgress(long Rows, double Fraction);

/// <summary>What a finished batch scoring run did.</summary>
/// <param name="Rows">Rows scored and written.</param>
/// <param name="Chunks">Chunks (CSV blocks or Parquet row groups) scored.</param>
public sealed record BatchScoringResult(long Rows, int Chunks);
