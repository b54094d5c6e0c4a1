using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>Writes the predictions of each chunk, in input order, to an output file.</summary>
internal interface IChunkWriter : IAsyncDisposable
{
    /// <summary>Appends the outputs of one chunk of <paramref name="rows"/> rows.</summary>
    ValueTask WriteAsync(IReadOnlyList<Tensor> outputs, int rows, CancellationToken cancellationToken);

    /// <summary>Finishes the file (footer, flush).</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
