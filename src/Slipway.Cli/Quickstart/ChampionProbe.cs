using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Cli.Quickstart.Training;

namespace Slipway.Cli.Quickstart;

/// <summary>
/// Sends held-out rows to the served champion over both scoring protocols, the way callers would: MLflow's
/// <c>/models/NAME/invocations</c> in small <c>dataframe_split</c> requests and one Open Inference Protocol V2 request
/// with a tensor per column. Both must give the labels ML.NET predicted at training time.
/// </summary>
internal static class ChampionProbe
{
    private const int RowsPerMlflowRequest = 20;

    /// <summary>
    /// Scores the sample over both protocols and checks the labels; <paramref name="answered"/> receives each MLflow
    /// request's id (the <c>X-Request-Id</c> the server answered with) and its rows' true labels, for feedback.
    /// </summary>
    public static async Task<ServingProbeView> RunAsync(
        HttpClient client, string model, IReadOnlyList<(AdultRow Row, bool Predicted)> sample, ICollection<(string RequestId, bool[] Actuals)> answered, CancellationToken cancellationToken)
    {
        var mlflowLabels = new List<bool>(sample.Count);
        var latencies = new List<double>();
        for (var start = 0; start < sample.Count; start += RowsPerMlflowRequest)
        {
            var rows = sample.Skip(start).Take(RowsPerMlflowRequest).Select(s => s.Row).ToList();
            var timer = Stopwatch.StartNew();
            var (document, requestId) = await PostAsync(client, $"/models/{model}/invocations", DataframeSplit(rows), cancellationToken).ConfigureAwait(false);
            using var disposeDocument = document;
            latencies.Add(timer.Elapsed.TotalMilliseconds);
            if (requestId is not null)
            {
                answered.Add((requestId, rows.Select(r => r.Label).ToArray()));
            }

            foreach (var record in document.RootElement.GetProperty("predictions").EnumerateArray())
            {
                mlflowLabels.Add(LabelOf(record.EnumerateObject().First(p => p.Name.StartsWith("PredictedLabel", StringComparison.Ordinal)).Value));
            }
        }

        var (v2, _) = await PostAsync(client, $"/v2/models/{model}/infer", V2Request(sample.Select(s => s.Row).ToList()), cancellationToken).ConfigureAwait(false);
        using var disposeV2 = v2;
        var version = v2.RootElement.GetProperty("model_version").GetString() ?? "?";
        var output = v2.RootElement.GetProperty("outputs").EnumerateArray().First(o => o.GetProperty("name").GetString()!.StartsWith("PredictedLabel", StringComparison.Ordinal));
        var v2Labels = output.GetProperty("data").EnumerateArray().Select(LabelOf).ToList();
        if (mlflowLabels.Count != sample.Count || v2Labels.Count != sample.Count)
        {
            throw new CliException($"the served model answered {mlflowLabels.Count} (MLflow) and {v2Labels.Count} (V2) labels for {sample.Count} rows.");
        }

        var matching = 0;
        var correct = 0;
        for (var i = 0; i < sample.Count; i++)
        {
            if (mlflowLabels[i] != v2Labels[i])
            {
                throw new CliException($"row {i + 1}: the MLflow endpoint answered {mlflowLabels[i]} but the V2 endpoint {v2Labels[i]}.");
            }

            matching += mlflowLabels[i] == sample[i].Predicted ? 1 : 0;
            correct += mlflowLabels[i] == sample[i].Row.Label ? 1 : 0;
        }

        latencies.Sort();
        return new ServingProbeView(
            model,
            version,
            latencies.Count,
            1,
            sample.Count,
            matching,
            sample.Count == 0 ? 0 : (double)correct / sample.Count,
            latencies.Count == 0 ? 0 : latencies[latencies.Count / 2]);
    }

    private static bool LabelOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => LabelOf(value.EnumerateArray().First()),
        _ => throw new CliException($"the served model answered a label of unexpected form: {value.GetRawText()}"),
    };

    /// <summary>Sends rows over MLflow's protocol in requests of 20 rows, without checking the answers' labels; returns the request count.</summary>
    public static async Task<int> SendAsync(HttpClient client, string model, IReadOnlyList<AdultRow> rows, CancellationToken cancellationToken)
    {
        var requests = 0;
        for (var start = 0; start < rows.Count; start += RowsPerMlflowRequest)
        {
            var (document, _) = await PostAsync(client, $"/models/{model}/invocations", DataframeSplit(rows.Skip(start).Take(RowsPerMlflowRequest).ToList()), cancellationToken).ConfigureAwait(false);
            document.Dispose();
            requests++;
        }

        return requests;
    }

    /// <summary>POSTs a JSON body; returns the parsed answer and the <c>X-Request-Id</c> header, or fails with the server's message.</summary>
    internal static async Task<(JsonDocument Document, string? RequestId)> PostAsync(HttpClient client, string path, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        return (JsonDocument.Parse(text), requestId);
    }

    internal static byte[] DataframeSplit(IReadOnlyList<AdultRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("dataframe_split");
            json.WriteStartArray("columns");
            foreach (var column in AdultIncomeTrainer.FeatureColumns)
            {
                json.WriteStringValue(column);
            }

            json.WriteEndArray();
            json.WriteStartArray("data");
            foreach (var row in rows)
            {
                json.WriteStartArray();
                foreach (var value in AdultIncomeTrainer.FeatureValues(row))
                {
                    WriteValue(json, value);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] V2Request(List<AdultRow> rows)
    {
        var values = rows.Select(AdultIncomeTrainer.FeatureValues).ToList();
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", "quickstart");
            json.WriteStartArray("inputs");
            for (var c = 0; c < AdultIncomeTrainer.FeatureColumns.Count; c++)
            {
                json.WriteStartObject();
                json.WriteString("name", AdultIncomeTrainer.FeatureColumns[c]);
                json.WriteStartArray("shape");
                json.WriteNumberValue(rows.Count);
                json.WriteEndArray();
                json.WriteString("datatype", values.Count > 0 && values[0][c] is float ? "FP32" : "BYTES");
                json.WriteStartArray("data");
                foreach (var row in values)
                {
                    WriteValue(json, row[c]);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter json, object value)
    {
        if (value is float number)
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteStringValue((string)value);
        }
    }
}
