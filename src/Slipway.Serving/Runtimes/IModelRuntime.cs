using Slipway.Serving.Tensors;

namespace Slipway.Serving.Runtimes;

/// <summary>
/// A loaded model that scores bound inputs. One instance serves every request of a model version: <see cref="Run"/> is
/// thread-safe and holds no lock across inference. Disposing releases native memory; callers stop using it first.
/// </summary>
public interface IModelRuntime : IDisposable
{
    /// <summary>The model's inputs, outputs and signature.</summary>
    ModelContract Contract { get; }

    /// <summary>
    /// Scores <paramref name="request"/> (inputs exactly as <see cref="ModelContract.Inputs"/>) and returns the outputs
    /// asked for (all when <see cref="InferenceRequest.Outputs"/> is null) in model order, with the request's rows.
    /// </summary>
    /// <exception cref="ScoringException">400 when the model rejects the values (e.g. a shape its graph cannot take).</exception>
    IReadOnlyList<Tensor> Run(InferenceRequest request);
}
