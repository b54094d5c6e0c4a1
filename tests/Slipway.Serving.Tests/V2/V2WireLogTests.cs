using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Serving.Protocols.V2;
using Slipway.Serving.Tensors;
using Slipway.Testing;

namespace Slipway.Serving.Tests.V2;

/// <summary>
/// The official Triton HTTP client's traffic (testdata/v2/tritonclient-wire-log.jsonl) against a V2 server: its requests
/// decode here and what Slipway writes has the structure the client parsed. The log stored bodies as text, so bytes
/// that are not UTF-8 appear as U+FFFD; binary parts are rebuilt from the values and checked against the logged text.
/// </summary>
public sealed class V2WireLogTests
{
    private static readonly float[] LoggedInputs = [5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f];

    private static List<JsonElement> Log()
    {
        var lines = File.ReadAllLines(RepoPaths.Combine("testdata", "v2", "tritonclient-wire-log.jsonl"));
        return lines.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static JsonElement Entry(string method, string path, Func<JsonElement, bool>? where = null) =>
        Log().First(e => e.GetProperty("method").GetString() == method && e.GetProperty("path").GetString() == path && (where is null || where(e)));

    private static bool IsBinary(JsonElement entry) => entry.GetProperty("body").GetString()!.Contains("binary_data_size", StringComparison.Ordinal);

    [Fact]
    public void The_clients_json_infer_request_decodes_with_no_content_type()
    {
        var entry = Entry("POST", "/v2/models/iris/infer", e => !IsBinary(e));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("ctype").ValueKind);
        var read = V2RequestReader.Read(Encoding.UTF8.GetBytes(entry.GetProperty("body").GetString()!), null, null, TestContracts.IrisTensor());

        Assert.Equal("req-1", read.Id);
        var input = Assert.Single(read.Request.Inputs);
        Assert.Equal("input-0", input.Name);
        Assert.Equal(TensorType.Float32, input.Type);
        Assert.Equal([2L, 4L], input.Shape);
        Assert.Equal(LoggedInputs, input.As<float>());
        Assert.Equal(["label", "proba"], read.Outputs.RequestedNames!);
        Assert.False(read.Outputs.IsBinary("label"));
        Assert.False(read.Outputs.IsBinary("proba"));
    }

    [Fact]
    public void The_clients_binary_infer_request_is_rebuilt_byte_for_byte_and_decodes_to_the_same_tensor()
    {
        var entry = Entry("POST", "/v2/models/iris/infer", IsBinary);
        var logged = entry.GetProperty("body").GetString()!;
        var headerText = logged[..(logged.IndexOf("}]}", StringComparison.Ordinal) + 3)];
        var header = Encoding.UTF8.GetBytes(headerText);
        var binary = V2RequestReaderTests.FloatsLittleEndian(LoggedInputs);

        // The rebuilt body, read as the log read it, is exactly the logged text: the framing is the client's.
        var body = header.Concat(binary).ToArray();
        Assert.Equal(logged, Encoding.UTF8.GetString(body));

        var read = V2RequestReader.Read(body, null, header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), TestContracts.IrisTensor());
        Assert.Equal("req-1", read.Id);
        Assert.Equal(LoggedInputs, read.Request.Inputs[0].As<float>());
        Assert.Equal([2L, 4L], read.Request.Inputs[0].Shape);
        Assert.True(read.Outputs.IsBinary("label"));
        Assert.True(read.Outputs.IsBinary("proba"));
    }

    private static InferenceResult IrisResult(float[] proba) => new(
        [new Tensor("label", TensorType.Int64, [2], new long[] { 0, 2 }), new Tensor("proba", TensorType.Float32, [2, 3], proba)],
        TestContracts.IrisTensor());

    private static readonly float[] LoggedProba =
        [(float)0.9815857410430908, (float)0.018414227291941643, (float)1.449090625271765e-08, (float)5.596007758867927e-05, 0.08003f, 0.91997f];

    [Fact]
    public void The_json_response_has_the_logged_structure_and_float32_values()
    {
        var entry = Entry("POST", "/v2/models/iris/infer", e => !IsBinary(e));
        var read = V2RequestReader.Read(Encoding.UTF8.GetBytes(entry.GetProperty("body").GetString()!), null, null, TestContracts.IrisTensor());
        var output = new ArrayBufferWriter<byte>();
        var headers = V2ResponseWriter.Write(output, IrisResult(LoggedProba), read.Id, read.Outputs);

        Assert.Equal("application/json", headers.ContentType);
        Assert.Null(headers.InferenceHeaderContentLength);
        var ours = JsonNode.Parse(output.WrittenSpan)!;

        // The logged body was cut short; its complete prefix is compared field by field.
        var logged = entry.GetProperty("resp").GetString()!;
        Assert.StartsWith("""{"model_name": "iris", "model_version": "1", "id": "req-1", "outputs": [{"name": "label", "datatype": "INT64", "shape": [2], "data": [0, 2]}, {"name": "proba", "datatype": "FP32", "shape": [2, 3], "data": [""", logged, StringComparison.Ordinal);
        Assert.Equal("iris", (string?)ours["model_name"]);
        Assert.Equal("1", (string?)ours["model_version"]);
        Assert.Equal("req-1", (string?)ours["id"]);
        var outputs = ours["outputs"]!.AsArray();
        Assert.Equal(["name", "datatype", "shape", "data"], outputs[0]!.AsObject().Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"label","datatype":"INT64","shape":[2],"data":[0,2]}"""), outputs[0]));
        Assert.Equal("proba", (string?)outputs[1]!["name"]);
        Assert.Equal("FP32", (string?)outputs[1]!["datatype"]);

        // The client reads FP32 JSON data into float32: the shortest float32 text reads back to the logged values.
        var loggedValues = logged[(logged.LastIndexOf('[') + 1)..].Split(", ")[..4].Select(double.Parse).ToArray();
        var ourValues = outputs[1]!["data"]!.AsArray().Select(v => (float)v!).ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((float)loggedValues[i], ourValues[i]);
        }

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.True(text.Contains("[0.98158574,0.018414227,1.4490906E-08,5.5960078E-05,0.08003,0.91997]", StringComparison.Ordinal), text);
    }

    [Fact]
    public void The_binary_response_has_the_logged_header_and_binary_framing()
    {
        var entry = Entry("POST", "/v2/models/iris/infer", IsBinary);
        var logged = entry.GetProperty("resp").GetString()!;
        var loggedHeader = logged[..(logged.IndexOf("}]}", StringComparison.Ordinal) + 3)];
        var requestText = entry.GetProperty("body").GetString()!;
        var requestHeader = Encoding.UTF8.GetBytes(requestText[..(requestText.IndexOf("}]}", StringComparison.Ordinal) + 3)]);
        var body = requestHeader.Concat(V2RequestReaderTests.FloatsLittleEndian(LoggedInputs)).ToArray();
        var read = V2RequestReader.Read(body, null, requestHeader.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), TestContracts.IrisTensor());

        var output = new ArrayBufferWriter<byte>();
        var headers = V2ResponseWriter.Write(output, IrisResult(LoggedProba), read.Id, read.Outputs);

        Assert.Equal("application/octet-stream", headers.ContentType);
        var headerLength = Assert.IsType<int>(headers.InferenceHeaderContentLength);
        var written = output.WrittenSpan.ToArray();
        Assert.Equal(headerLength + 16 + 24, written.Length);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(loggedHeader), JsonNode.Parse(written.AsSpan(0, headerLength))));

        // label (16 bytes) and the four logged proba values (16 bytes) read back as the logged text, byte for byte.
        var loggedBinary = logged[loggedHeader.Length..];
        var ourBinary = Encoding.UTF8.GetString(written, headerLength, 32);
        Assert.StartsWith(ourBinary, loggedBinary, StringComparison.Ordinal);
        Assert.Equal(new long[] { 0, 2 }, new[] { BitConverter.ToInt64(written, headerLength), BitConverter.ToInt64(written, headerLength + 8) });
        Assert.Equal(LoggedProba[5], BitConverter.ToSingle(written, headerLength + 36));
    }

    [Fact]
    public void Model_metadata_matches_what_the_client_parsed()
    {
        var logged = Entry("GET", "/v2/models/iris").GetProperty("resp").GetString()!;
        var output = new ArrayBufferWriter<byte>();
        V2MetadataWriter.WriteModelMetadata(output, TestContracts.IrisTensor());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(logged), JsonNode.Parse(output.WrittenSpan)), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Server_metadata_matches_what_the_client_parsed()
    {
        var logged = Entry("GET", "/v2").GetProperty("resp").GetString()!;
        var output = new ArrayBufferWriter<byte>();
        V2MetadataWriter.WriteServerMetadata(output, "v2-stub", "0.1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(logged), JsonNode.Parse(output.WrittenSpan)));
    }

    [Fact]
    public void Unknown_model_error_matches_the_logged_404()
    {
        var entry = Entry("GET", "/v2/models/nope");
        var error = ScoringException.NotFound("model not found");
        var output = new ArrayBufferWriter<byte>();
        V2ErrorWriter.Write(output, error);
        Assert.Equal(entry.GetProperty("status").GetInt32(), error.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(entry.GetProperty("resp").GetString()!), JsonNode.Parse(output.WrittenSpan)));
    }
}
