namespace Slipway.Serving.Batch;

/// <summary>Reads an input file in chunks of rows, each already laid out as the model's inputs.</summary>
internal interface IChunkReader : IAsyncDisposable
{
    /// <summary>How the file's columns feed the model.</summary>
    ChunkLayout Layout { get; }

    /// <summary>How far through the file reading is, from 0 to 1.</summary>
    double Progress { get; }

    /// <summary>The next chunk as a request, or null at the end of the file.</summary>
    /// <exception cref="BatchScoringException">A cell is not a value of its column's type (the message names row and column).</exception>
    ValueTask<InferenceRequest?> ReadAsync(CancellationToken cancellationToken);
}
