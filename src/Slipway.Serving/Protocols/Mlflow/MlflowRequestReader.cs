using System.Text;
using System.Text.Json;
using Slipway.Serving.Binding;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Reads <c>POST /invocations</c> bodies exactly as <c>mlflow models serve</c> does: <c>application/json</c> with one of
/// <c>dataframe_split</c>, <c>dataframe_records</c>, <c>instances</c>, <c>inputs</c> (plus optional <c>params</c>; other
/// keys are ignored, as MLflow ignores them) or <c>text/csv</c>, then binds the data to the model's signature.
/// </summary>
public static class MlflowRequestReader
{
    /// <summary>MLflow's JSON media type.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>MLflow's CSV media type.</summary>
    public const string CsvContentType = "text/csv";

    internal const string RequiredInputFormat =
        "The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}";

    internal const string ProtocolChangeInfo =
        "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, you are likely using an "
        + "outdated scoring request format. To resolve the error, either update your request format or adjust your MLflow Model's requirements "
        + "file to specify an older version of MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are "
        + "making a request using the MLflow client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in "
        + "order to use the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see "
        + "https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";

    private static readonly string[] FormatKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    /// <summary>Parses a scoring request and binds it to <paramref name="contract"/>.</summary>
    /// <param name="body">The request body (UTF-8).</param>
    /// <param name="contentType">The <c>Content-Type</c> header value, or null when absent.</param>
    /// <param name="contract">The model version that will score it.</param>
    /// <exception cref="ScoringException">
    /// 415 for a content type other than <c>application/json</c> or <c>text/csv</c>, a charset other than UTF-8 or any other
    /// media-type parameter; 400 <c>BAD_REQUEST</c> for malformed JSON or CSV and bodies without exactly one format key;
    /// 400 <c>INVALID_PARAMETER_VALUE</c> when the data does not fit the signature.
    /// </exception>
    public static MlflowScoringRequest Parse(ReadOnlyMemory<byte> body, string? contentType, ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var isCsv = CheckContentType(contentType);
        if (isCsv)
        {
            var table = CsvTableReader.Read(body.Span, contract);
            var csvInputs = ContractAdapter.Adapt(table, contract);
            return new MlflowScoringRequest(InputBinder.Bind(csvInputs, contract, BindingRules.Mlflow), MlflowInputFormat.Csv, ScoringParams.Empty);
        }

        var span = body.Span;
        var (format, formatRange, paramsRange) = ReadEnvelope(span);
        DecodedInput decoded;
        try
        {
            decoded = format switch
            {
                MlflowInputFormat.DataframeSplit => JsonInputReader.ReadSplit(span[formatRange]),
                MlflowInputFormat.DataframeRecords => JsonInputReader.ReadRecords(span[formatRange]),
                MlflowInputFormat.Instances => JsonInputReader.ReadTensorInput(span[formatRange], instances: true),
                _ => JsonInputReader.ReadTensorInput(span[formatRange], instances: false),
            };
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }

        var parameters = paramsRange is { } range ? ScoringParams.Read(span[range], contract) : ScoringParams.Defaults(contract);
        var inputs = ContractAdapter.Adapt(decoded, contract);
        return new MlflowScoringRequest(InputBinder.Bind(inputs, contract, BindingRules.Mlflow), format, parameters);
    }

    /// <summary>MLflow's content-type rules; returns whether the body is CSV.</summary>
    /// <exception cref="ScoringException">415 with MLflow's message.</exception>
    public static bool CheckContentType(string? contentType)
    {
        var text = contentType ?? string.Empty;
        var parts = text.Split(';');
        var mediaType = parts[0].Trim();
        List<string>? unexpected = null;
        for (var i = 1; i < parts.Length; i++)
        {
            var pair = parts[i].Trim();
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            if (key == "charset")
            {
                if (!string.Equals(value, "utf-8", StringComparison.OrdinalIgnoreCase))
                {
                    throw ScoringException.UnsupportedMediaType("The scoring server only supports UTF-8");
                }
            }
            else if (unexpected is null || !unexpected.Contains(key))
            {
                (unexpected ??= []).Add(key);
            }
        }

        if (unexpected is not null)
        {
            throw ScoringException.UnsupportedMediaType($"Unrecognized content type parameters: {string.Join(", ", unexpected)}. {ProtocolChangeInfo}");
        }

        return mediaType switch
        {
            CsvContentType => true,
            JsonContentType => false,
            _ => throw ScoringException.UnsupportedMediaType(
                $"This predictor only supports the following content types: Types: ['{CsvContentType}', '{JsonContentType}']. Got '{contentType ?? "None"}'."),
        };
    }

    internal static ScoringException Malformed(Exception e) =>
        ScoringException.BadRequest($"Ensure that input is a valid JSON formatted string. Error: '{e.Message}'", e);

    /// <summary>
    /// Reads the top-level object once, validating the whole document, and finds the format key and <c>params</c>
    /// without decoding their values.
    /// </summary>
    private static (MlflowInputFormat Format, Range Value, Range? Params) ReadEnvelope(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        Range?[] found = new Range?[FormatKeys.Length];
        Range? parameters = null;
        try
        {
            if (!reader.Read())
            {
                throw ScoringException.BadRequest("Ensure that input is a valid JSON formatted string. Error: 'Expecting value: line 1 column 1 (char 0)'");
            }

            var rootType = reader.TokenType;
            if (rootType != JsonTokenType.StartObject)
            {
                reader.Skip();
                while (reader.Read())
                {
                    // Reading on reports trailing content after the root value as malformed JSON.
                }

                throw ScoringException.BadRequest(rootType == JsonTokenType.StartArray
                    ? $"{RequiredInputFormat}. Received a list."
                    : $"{RequiredInputFormat}. Received unexpected input type '{PythonTypeName(rootType)}'.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = -1;
                for (var i = 0; i < FormatKeys.Length; i++)
                {
                    if (reader.ValueTextEquals(FormatKeys[i]))
                    {
                        key = i;
                        break;
                    }
                }

                var isParams = key < 0 && reader.ValueTextEquals("params");
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                if (key >= 0)
                {
                    found[key] = start..end;
                }
                else if (isParams)
                {
                    parameters = start..end;
                }
            }

            while (reader.Read())
            {
                // Trailing content after the root object is malformed JSON; the reader throws on it.
            }
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }

        var present = new List<string>();
        var format = -1;
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i] is not null)
            {
                present.Add(FormatKeys[i]);
                format = i;
            }
        }

        if (present.Count != 1)
        {
            throw ScoringException.BadRequest(
                $"{RequiredInputFormat}. Received dictionary with input fields: {InputBinder.PythonList(present)}. {ProtocolChangeInfo}");
        }

        return ((MlflowInputFormat)format, found[format]!.Value, parameters);
    }

    internal static string PythonTypeName(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "list",
        JsonTokenType.StartObject => "dict",
        JsonTokenType.String => "<class 'str'>",
        JsonTokenType.Number => "<class 'float'>",
        JsonTokenType.True or JsonTokenType.False => "<class 'bool'>",
        _ => "<class 'NoneType'>",
    };

    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>What a decoder read, before it is mapped onto the model's inputs.</summary>
/// <param name="Tensors">The decoded inputs in the order they appeared.</param>
/// <param name="IsTable">Whether they are columns of a data frame (each with a rows dimension).</param>
internal sealed record DecodedInput(List<Tensor> Tensors, bool IsTable);
