namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>A parsed and bound MLflow scoring request.</summary>
/// <param name="Request">The inputs, bound to the model's contract.</param>
/// <param name="Format">How the data was sent.</param>
/// <param name="Params">
/// The inference parameters after MLflow's rules: when the signature declares params, every declared one (sent or its
/// default) converted to its type, undeclared ones dropped; when it declares none, empty. Values are <see cref="long"/>,
/// <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>, null, or <c>object?[]</c> for list params.
/// </param>
public sealed record MlflowScoringRequest(InferenceRequest Request, MlflowInputFormat Format, IReadOnlyDictionary<string, object?> Params);
