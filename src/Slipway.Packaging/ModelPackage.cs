using Slipway.Core.Signatures;

namespace Slipway.Packaging;

/// <summary>A complete MLflow model directory written by <see cref="ModelPackager"/>.</summary>
/// <param name="Directory">The model directory (holds <c>MLmodel</c>).</param>
/// <param name="Flavor">The flavor that serves the model: <c>onnx</c>, <c>mlnet</c>, or for a copied package its first served flavor.</param>
/// <param name="Signature">The model signature; <see langword="null"/> when the package has none.</param>
/// <param name="Files">Every file of the package, relative to <paramref name="Directory"/>, with <c>/</c> separators, sorted ordinally.</param>
public sealed record ModelPackage(string Directory, string Flavor, ModelSignature? Signature, IReadOnlyList<string> Files);
