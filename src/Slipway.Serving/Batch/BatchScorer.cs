using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>
/// Scores a CSV or Parquet file with a loaded model and writes the predictions as CSV or Parquet, streaming: chunks are
/// read, scored on up to <see cref="BatchScoringOptions.Workers"/> threads at once, and written in input order, with at
/// most <c>Workers + 1</c> chunks in memory, so memory stays flat however long the file is.
/// </summary>
public static class BatchScorer
{
    /// <summary>Scores <paramref name="inputPath"/> into <paramref name="outputPath"/>; formats follow the extensions.</summary>
    /// <exception cref="BatchScoringException">
    /// A file format other than .csv or .parquet, a file that cannot be read, columns the model needs that are missing, or a
    /// value that is not of its column's type; the message names the file, row and column.
    /// </exception>
    public static async Task<BatchScoringResult> ScoreAsync(
        IModelRuntime runtime,
        string inputPath,
        string outputPath,
        BatchScoringOptions options,
        IProgress<BatchProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(inputPath))
        {
            throw new BatchScoringException($"input file '{inputPath}' does not exist.");
        }

        var outputFormat = FormatOf(outputPath, "output");
        await using var reader = await OpenReaderAsync(inputPath, runtime.Contract, options, cancellationToken).ConfigureAwait(false);
        var partial = outputPath + ".partial";
        long rows = 0;
        var chunks = 0;
        try
        {
            var pending = new Queue<(Task<IReadOnlyList<Tensor>> Scoring, int Rows)>();
            await using (var writer = outputFormat == ".csv" ? (IChunkWriter)new CsvChunkWriter(partial) : new ParquetChunkWriter(partial))
            {
                var workers = Math.Max(1, options.Workers);
                try
                {
                    while (true)
                    {
                        var request = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        if (request is not null)
                        {
                            pending.Enqueue((Task.Run(() => Score(runtime, request), cancellationToken), (int)request.Rows));
                        }

                        // Write the oldest chunk when enough are being scored, or drain at the end of the input.
                        while (pending.Count > 0 && (pending.Count >= workers || request is null))
                        {
                            var (scoring, chunkRows) = pending.Dequeue();
                            var outputs = await scoring.ConfigureAwait(false);
                            await writer.WriteAsync(outputs, chunkRows, cancellationToken).ConfigureAwait(false);
                            rows += chunkRows;
                            chunks++;
                            progress?.Report(new BatchProgress(rows, reader.Progress));
                        }

                        if (request is null)
                        {
                            break;
                        }
                    }
                }
                catch
                {
                    // Chunks still being scored must finish before the caller may dispose the runtime under them.
                    await DrainAsync(pending).ConfigureAwait(false);
                    throw;
                }

                if (rows == 0)
                {
                    throw new BatchScoringException($"'{Path.GetFileName(inputPath)}' has no rows to score.");
                }

                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(partial, outputPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }

        return new BatchScoringResult(rows, chunks);
    }

    private static async Task DrainAsync(Queue<(Task<IReadOnlyList<Tensor>> Scoring, int Rows)> pending)
    {
        while (pending.TryDequeue(out var chunk))
        {
            try
            {
                await chunk.Scoring.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The first failure is the one reported; later chunks' failures add nothing.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private static IReadOnlyList<Tensor> Score(IModelRuntime runtime, InferenceRequest request)
    {
        try
        {
            return runtime.Run(request);
        }
        catch (ScoringException e)
        {
            throw new BatchScoringException($"the model rejected a chunk: {e.Message}", e);
        }
    }

    private static async Task<IChunkReader> OpenReaderAsync(string path, ModelContract contract, BatchScoringOptions options, CancellationToken cancellationToken) =>
        FormatOf(path, "input") == ".csv"
            ? new CsvChunkReader(path, contract, Math.Max(1, options.ChunkRows))
            : await ParquetChunkReader.OpenAsync(path, contract, cancellationToken).ConfigureAwait(false);

    private static string FormatOf(string path, string role)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".csv" or ".parquet"
            ? extension
            : throw new BatchScoringException($"{role} file '{Path.GetFileName(path)}' must end in .csv or .parquet.");
    }
}
