using System.Text;
using System.Text.Json;
using Slipway.Serving.Protocols.Mlflow;

namespace Slipway.Serving.Hosting;

/// <summary>
/// Binds a package's stored input example with the MLflow scoring reader, as a caller's request would be bound: a
/// table example is stored in pandas split form (<c>{"columns", "data"}</c>) and read as <c>dataframe_split</c>; a
/// tensor example is stored as <c>{"inputs": ...}</c> and read as it is.
/// </summary>
public static class InputExamples
{
    private static readonly string[] FormatKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    /// <summary>The bound example of <paramref name="contract"/>, or null when it has none.</summary>
    /// <exception cref="ScoringException">400 when the example does not fit the contract.</exception>
    public static InferenceRequest? Bind(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (string.IsNullOrWhiteSpace(contract.InputExampleJson))
        {
            return null;
        }

        var json = contract.InputExampleJson;
        if (!HasFormatKey(json))
        {
            json = "{\"dataframe_split\": " + json + "}";
        }

        return MlflowRequestReader.Parse(Encoding.UTF8.GetBytes(json), MlflowRequestReader.JsonContentType, contract).Request;
    }

    private static bool HasFormatKey(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var key in FormatKeys)
            {
                if (document.RootElement.TryGetProperty(key, out _))
                {
                    return true;
                }
            }

            return false;
        }
        catch (JsonException e)
        {
            throw ScoringException.BadRequest($"the input example is not valid JSON: {e.Message}", e);
        }
    }
}
