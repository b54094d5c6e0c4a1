using Slipway.Serving.Runtimes;

namespace Slipway.Serving.Hosting;

/// <summary>
/// Loads a model package directory into a runtime; <see cref="ModelRuntimes.Load"/> unless a host is told otherwise.
/// </summary>
/// <param name="packageDirectory">The downloaded MLflow model directory.</param>
/// <param name="name">The served model name.</param>
/// <param name="version">The registry version.</param>
/// <param name="options">The runtime options of the served model.</param>
public delegate IModelRuntime ModelLoader(string packageDirectory, string name, string version, RuntimeOptions options);

/// <summary>
/// Turns a loaded version's input example (<see cref="ModelContract.InputExampleJson"/>) into a bound request, or
/// returns null when the contract has none. Throws <see cref="ScoringException"/> when the example does not fit
/// the contract: such a version never goes live.
/// </summary>
/// <param name="contract">The version's contract.</param>
public delegate InferenceRequest? InputExampleBinder(ModelContract contract);
