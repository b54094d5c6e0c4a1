using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.Serving.Protocols.V2;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Tests.V2;

public sealed class V2ResponseWriterTests
{
    private static readonly Tensor[] EveryType =
    [
        new("bool", TensorType.Bool, [2], new[] { true, false }),
        new("u8", TensorType.UInt8, [2], new byte[] { 0, 255 }),
        new("u16", TensorType.UInt16, [2], new ushort[] { 0, 65535 }),
        new("u32", TensorType.UInt32, [2], new uint[] { 0, uint.MaxValue }),
        new("u64", TensorType.UInt64, [2], new ulong[] { 0, ulong.MaxValue }),
        new("i8", TensorType.Int8, [2], new sbyte[] { -128, 127 }),
        new("i16", TensorType.Int16, [2], new short[] { -32768, 32767 }),
        new("i32", TensorType.Int32, [2], new[] { int.MinValue, int.MaxValue }),
        new("i64", TensorType.Int64, [2], new[] { long.MinValue, long.MaxValue }),
        new("f16", TensorType.Float16, [2], new[] { (Half)0.1, Half.NaN }),
        new("f32", TensorType.Float32, [2, 1], new[] { 0.1f, float.PositiveInfinity }),
        new("f64", TensorType.Float64, [2], new[] { 0.1, double.NegativeInfinity }),
        new("s", TensorType.String, [2], new[] { "a\"b", "\u00e9" }),
    ];

    private static (string Text, V2ResponseHeaders Headers, byte[] Bytes) Write(IReadOnlyList<Tensor> outputs, string? id, V2OutputOptions options)
    {
        var contract = TestContracts.IrisTensor();
        var buffer = new ArrayBufferWriter<byte>();
        var headers = V2ResponseWriter.Write(buffer, new InferenceResult(outputs, contract), id, options);
        var bytes = buffer.WrittenSpan.ToArray();
        var jsonLength = headers.InferenceHeaderContentLength ?? bytes.Length;
        return (Encoding.UTF8.GetString(bytes, 0, jsonLength), headers, bytes);
    }

    [Fact]
    public void Every_datatype_is_written_as_json_with_shortest_round_trip_floats()
    {
        var (text, headers, _) = Write(EveryType, null, V2OutputOptions.Default);
        Assert.Equal("application/json", headers.ContentType);
        Assert.Null(headers.InferenceHeaderContentLength);
        Assert.DoesNotContain("\"id\"", text, StringComparison.Ordinal);
        Assert.Contains("""{"name":"bool","datatype":"BOOL","shape":[2],"data":[true,false]}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"name":"u64","datatype":"UINT64","shape":[2],"data":[0,18446744073709551615]}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"name":"i64","datatype":"INT64","shape":[2],"data":[-9223372036854775808,9223372036854775807]}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"name":"f16","datatype":"FP16","shape":[2],"data":[0.1,"NaN"]}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"name":"f32","datatype":"FP32","shape":[2,1],"data":[0.1,"Infinity"]}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"name":"f64","datatype":"FP64","shape":[2],"data":[0.1,"-Infinity"]}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"name":"s","datatype":"BYTES","shape":[2],"data":["a\u0022b","\u00E9"]}""", text, StringComparison.Ordinal);

        // What is written reads back to the same values through the request decoder.
        var outputs = JsonNode.Parse(text)!["outputs"]!.AsArray();
        var inputs = new JsonArray(outputs.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = (string?)o!["name"],
            ["datatype"] = (string?)o["datatype"],
            ["shape"] = o["shape"]!.DeepClone(),
            ["data"] = o["data"]!.DeepClone(),
        }).ToArray());
        var decoded = V2RequestReader.Decode(Encoding.UTF8.GetBytes(new JsonObject { ["inputs"] = inputs }.ToJsonString()), null, null);
        for (var i = 0; i < EveryType.Length; i++)
        {
            Assert.Equal(EveryType[i].Type, decoded.Inputs[i].Type);
            Assert.Equal(EveryType[i].Shape, decoded.Inputs[i].Shape);
            Assert.Equal(EveryType[i].Data, decoded.Inputs[i].Data);
        }
    }

    [Fact]
    public void Float32_values_are_exact_after_a_json_round_trip()
    {
        var values = new[] { 0.1f, 1f / 3, float.Epsilon, float.MaxValue, -float.MinValue, 16777217f, 5.596008E-05f, 1e-45f, 123456.79f };
        var (text, _, _) = Write([new Tensor("f", TensorType.Float32, [values.Length], values)], null, V2OutputOptions.Default);
        var data = JsonNode.Parse(text)!["outputs"]![0]!["data"]!.AsArray();
        Assert.Equal(values, data.Select(v => float.Parse(v!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("[0.1,0.33333334,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_datatype_is_written_as_binary_data_in_json_order()
    {
        var (text, headers, bytes) = Write(EveryType, "x-1", new V2OutputOptions(null, binaryByDefault: true));
        Assert.Equal("application/octet-stream", headers.ContentType);
        var outputs = JsonNode.Parse(text)!["outputs"]!.AsArray();
        Assert.Equal("x-1", (string?)JsonNode.Parse(text)!["id"]);
        var offset = headers.InferenceHeaderContentLength!.Value;
        for (var i = 0; i < EveryType.Length; i++)
        {
            Assert.Null(outputs[i]!["data"]);
            var size = (int)outputs[i]!["parameters"]!["binary_data_size"]!;
            var header = $$$"""{"inputs":[{"name":"t","shape":{{{outputs[i]!["shape"]!.ToJsonString()}}},"datatype":"{{{(string?)outputs[i]!["datatype"]}}}","parameters":{"binary_data_size":{{{size}}}}}]}""";
            var body = Encoding.UTF8.GetBytes(header).Concat(bytes.Skip(offset).Take(size)).ToArray();
            var decoded = V2RequestReader.Decode(body, null, Encoding.UTF8.GetByteCount(header).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(EveryType[i].Data, decoded.Inputs[0].Data);
            offset += size;
        }

        Assert.Equal(bytes.Length, offset);
    }

    [Fact]
    public void Outputs_selection_and_per_output_binary_are_honoured()
    {
        var options = new V2OutputOptions([new V2RequestedOutput("i32", Binary: true), new V2RequestedOutput("s", Binary: null)], binaryByDefault: false);
        var (text, headers, bytes) = Write(EveryType, null, options);
        var outputs = JsonNode.Parse(text)!["outputs"]!.AsArray();
        Assert.Equal(["i32", "s"], outputs.Select(o => (string?)o!["name"]));
        Assert.Equal(8, (int)outputs[0]!["parameters"]!["binary_data_size"]!);
        Assert.NotNull(outputs[1]!["data"]);
        Assert.Equal(headers.InferenceHeaderContentLength!.Value + 8, bytes.Length);
        Assert.Equal(int.MinValue, BitConverter.ToInt32(bytes, headers.InferenceHeaderContentLength.Value));
    }

    [Fact]
    public void The_answering_contract_names_the_model_and_version()
    {
        var (text, _, _) = Write([EveryType[0]], "q", V2OutputOptions.Default);
        Assert.StartsWith("""{"model_name":"iris","model_version":"1","id":"q","outputs":[""", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_and_ready_documents()
    {
        var buffer = new ArrayBufferWriter<byte>();
        V2MetadataWriter.WriteServerLive(buffer, true);
        Assert.Equal("""{"live":true}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.Clear();
        V2MetadataWriter.WriteServerReady(buffer, false);
        Assert.Equal("""{"ready":false}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.Clear();
        V2MetadataWriter.WriteModelReady(buffer, "iris", true);
        Assert.Equal("""{"name":"iris","ready":true}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void A_column_model_lists_each_column_as_a_one_dimensional_tensor()
    {
        var buffer = new ArrayBufferWriter<byte>();
        V2MetadataWriter.WriteModelMetadata(buffer, TestContracts.Columns(), ["2", "3"]);
        Assert.Equal(
            """{"name":"adult","versions":["2","3"],"platform":"onnxruntime_onnx","inputs":[{"name":"age","datatype":"FP64","shape":[-1]},{"name":"hours","datatype":"INT64","shape":[-1]},{"name":"education","datatype":"BYTES","shape":[-1]},{"name":"gain","datatype":"FP64","shape":[-1]}],"outputs":[{"name":"label","datatype":"INT64","shape":[-1]}]}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
