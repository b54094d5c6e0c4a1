using Slipway.Core.Registry;

namespace Slipway.Core.Signatures;

/// <summary>
/// An MLflow model signature: what a model takes and returns. In an <c>MLmodel</c> file each part is stored as a
/// JSON string: <c>signature: {inputs: '[...]', outputs: '[...]', params: null}</c>.
/// </summary>
/// <param name="Inputs">The input schema; <see langword="null"/> when unknown.</param>
/// <param name="Outputs">The output schema; <see langword="null"/> when unknown.</param>
/// <param name="ParamsJson">MLflow's inference-parameter schema, kept verbatim as JSON text; <see langword="null"/> (the default) when absent.</param>
public sealed record ModelSignature(SignatureSchema? Inputs, SignatureSchema? Outputs, string? ParamsJson = null)
{
    /// <summary>
    /// Builds a signature from the three JSON strings of an <c>MLmodel</c> file's <c>signature</c> section;
    /// a <see langword="null"/> or empty string means the part is absent.
    /// </summary>
    /// <param name="inputs">The <c>inputs</c> JSON string.</param>
    /// <param name="outputs">The <c>outputs</c> JSON string.</param>
    /// <param name="paramsJson">The <c>params</c> JSON string, kept verbatim.</param>
    /// <param name="field">The prefix used in error messages. Default <c>signature</c>.</param>
    /// <exception cref="RegistryException">Invalid, naming the field, e.g. <c>signature.inputs[1].type</c>.</exception>
    public static ModelSignature FromJson(string? inputs, string? outputs, string? paramsJson = null, string field = "signature")
    {
        var input = string.IsNullOrEmpty(inputs) ? null : SignatureSchema.Parse(inputs, $"{field}.inputs");
        var output = string.IsNullOrEmpty(outputs) ? null : SignatureSchema.Parse(outputs, $"{field}.outputs");
        if (!string.IsNullOrEmpty(paramsJson))
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(paramsJson);
                if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                {
                    throw RegistryException.Invalid($"{field}.params: expected a JSON array of parameter specs.");
                }
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"{field}.params: not valid JSON ({e.Message})", e);
            }
        }

        return new ModelSignature(input, output, string.IsNullOrEmpty(paramsJson) ? null : paramsJson);
    }

    /// <summary>The <c>inputs</c> JSON string as MLflow writes it, or <see langword="null"/>.</summary>
    public string? InputsJson => Inputs?.ToJson();

    /// <summary>The <c>outputs</c> JSON string as MLflow writes it, or <see langword="null"/>.</summary>
    public string? OutputsJson => Outputs?.ToJson();
}
