using System.Buffers.Binary;
using System.Text;
using Slipway.Serving.Protocols.V2;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Tests.V2;

public sealed class V2RequestReaderTests
{
    private static V2DecodedRequest Decode(string json, string? contentType = null) =>
        V2RequestReader.Decode(Encoding.UTF8.GetBytes(json), contentType, null);

    private static Tensor DecodeOne(string datatype, string shape, string data) =>
        Decode($$"""{"inputs":[{"name":"x","shape":{{shape}},"datatype":"{{datatype}}","data":{{data}}}]}""").Inputs[0];

    private static ScoringException Fails(string json, string? contentType = null) =>
        Assert.Throws<ScoringException>(() => Decode(json, contentType));

    public static TheoryData<string, string, Array> EveryDatatype => new()
    {
        { "BOOL", "[true,false,true]", new[] { true, false, true } },
        { "UINT8", "[0,7,255]", new byte[] { 0, 7, 255 } },
        { "UINT16", "[0,7,65535]", new ushort[] { 0, 7, 65535 } },
        { "UINT32", "[0,7,4294967295]", new uint[] { 0, 7, uint.MaxValue } },
        { "UINT64", "[0,7,18446744073709551615]", new ulong[] { 0, 7, ulong.MaxValue } },
        { "INT8", "[-128,0,127]", new sbyte[] { -128, 0, 127 } },
        { "INT16", "[-32768,0,32767]", new short[] { -32768, 0, 32767 } },
        { "INT32", "[-2147483648,0,2147483647]", new[] { int.MinValue, 0, int.MaxValue } },
        { "INT64", "[-9223372036854775808,0,9223372036854775807]", new[] { long.MinValue, 0, long.MaxValue } },
        { "FP16", "[0.5,-2,65504]", new[] { (Half)0.5, (Half)(-2), Half.MaxValue } },
        { "FP32", "[5.099999904632568,0.1,3.4028235e38]", new[] { 5.1f, 0.1f, float.MaxValue } },
        { "FP64", "[0.1,-1e-300,1.7976931348623157e308]", new[] { 0.1, -1e-300, double.MaxValue } },
        { "BYTES", "[\"a\",\"\",\"\u00e9t\u00e9 \\\"q\\\"\"]", new[] { "a", string.Empty, "\u00e9t\u00e9 \"q\"" } },
    };

    [Theory]
    [MemberData(nameof(EveryDatatype))]
    public void Decodes_every_datatype_flat_and_nested_with_exact_type(string datatype, string data, Array expected)
    {
        var flat = DecodeOne(datatype, "[3]", data);
        Assert.True(TensorTypes.TryParseV2Name(datatype, out var type));
        Assert.Equal(type, flat.Type);
        Assert.Equal([3L], flat.Shape);
        Assert.Equal(expected, flat.Data);

        // The same values nested as [3, 1] read row-major into the same array.
        var items = data[1..^1];
        var nestedJson = "[" + string.Join(",", SplitTopLevel(items).Select(v => "[" + v + "]")) + "]";
        var nested = DecodeOne(datatype, "[3,1]", nestedJson);
        Assert.Equal([3L, 1L], nested.Shape);
        Assert.Equal(expected, nested.Data);
    }

    [Fact]
    public void Nested_data_is_read_row_major()
    {
        var tensor = DecodeOne("INT32", "[2,3]", "[[1,2,3],[4,5,6]]");
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, tensor.As<int>());
    }

    [Fact]
    public void Data_before_shape_and_datatype_is_decoded_the_same()
    {
        var request = Decode("""{"inputs":[{"data":[[1.5,2],[3,4]],"name":"x","datatype":"FP64","shape":[2,2]}]}""");
        Assert.Equal(new[] { 1.5, 2, 3, 4 }, request.Inputs[0].As<double>());
        Assert.Equal([2L, 2L], request.Inputs[0].Shape);
    }

    [Fact]
    public void Scalar_tensor_takes_a_bare_value()
    {
        var tensor = DecodeOne("INT64", "[]", "42");
        Assert.Empty(tensor.Shape);
        Assert.Equal(new[] { 42L }, tensor.As<long>());
    }

    [Fact]
    public void Float32_values_read_to_the_nearest_float_and_non_finite_names_are_accepted()
    {
        var tensor = DecodeOne("FP32", "[4]", """[0.1, "NaN", "Infinity", "-Infinity"]""");
        var values = tensor.As<float>();
        Assert.Equal(0.1f, values[0]);
        Assert.True(float.IsNaN(values[1]));
        Assert.Equal(float.PositiveInfinity, values[2]);
        Assert.Equal(float.NegativeInfinity, values[3]);
    }

    [Theory]
    [InlineData("INT32", "[3]", "[1,2]", "inputs[0] ('x').data: holds 2 values but the shape needs 3.")]
    [InlineData("INT32", "[2]", "[1,2,3]", "inputs[0] ('x').data: holds more values than the shape's 2.")]
    [InlineData("INT32", "[2]", "[1,2.5]", "inputs[0] ('x').data[1]: expected a 32-bit integer (INT32).")]
    [InlineData("UINT8", "[1]", "[256]", "inputs[0] ('x').data[0]: expected an integer in 0..255 (UINT8).")]
    [InlineData("UINT32", "[1]", "[-1]", "inputs[0] ('x').data[0]: expected an integer in 0..4294967295 (UINT32).")]
    [InlineData("BOOL", "[2]", "[true,1]", "inputs[0] ('x').data[1]: expected true or false (BOOL).")]
    [InlineData("FP32", "[1]", "[\"x\"]", "inputs[0] ('x').data[0]: expected a number in FP32 range or \"NaN\", \"Infinity\", \"-Infinity\" (FP32).")]
    [InlineData("FP32", "[1]", "[1e39]", "inputs[0] ('x').data[0]: expected a number in FP32 range or \"NaN\", \"Infinity\", \"-Infinity\" (FP32).")]
    [InlineData("FP16", "[1]", "[70000]", "inputs[0] ('x').data[0]: expected a number in FP16 range or \"NaN\", \"Infinity\", \"-Infinity\" (FP16).")]
    [InlineData("BYTES", "[1]", "[1]", "inputs[0] ('x').data[0]: expected a string (BYTES).")]
    [InlineData("FP32", "[-1]", "[1]", "inputs[0] ('x').shape[0]: expected a non-negative integer.")]
    [InlineData("FP32", "[100000,10]", "[1]", "inputs[0] ('x').data: shape [100000, 10] needs 1000000 values, more than the body can hold.")]
    [InlineData("FP32", "[1000000,1000000,1000000]", "[1]", "inputs[0] ('x').shape: [1000000, 1000000, 1000000] holds too many values.")]
    [InlineData("FLOAT", "[1]", "[1]", "inputs[0] ('x').datatype: unknown datatype 'FLOAT'; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES.")]
    public void Bad_data_is_400_naming_the_field(string datatype, string shape, string data, string message)
    {
        var error = Fails($$"""{"inputs":[{"name":"x","shape":{{shape}},"datatype":"{{datatype}}","data":{{data}}}]}""");
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("BAD_REQUEST", error.ErrorCode);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"inputs":[]}""", "inputs: required; list at least one input tensor.")]
    [InlineData("""{"id":"a"}""", "inputs: required; list at least one input tensor.")]
    [InlineData("""[1]""", "the request must be a JSON object with \"inputs\".")]
    [InlineData("""{"inputs":{}}""", "inputs: expected an array of input tensors.")]
    [InlineData("""{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}""", "inputs[0].name: required.")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","data":[1]}]}""", "inputs[0] ('x').shape: required.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"data":[1]}]}""", "inputs[0] ('x').datatype: required.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32"}]}""", "inputs[0] ('x').data: required (or parameters.binary_data_size with binary data).")]
    [InlineData("""{"id":5,"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""", "id: expected a string.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]},{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""", "inputs[1].name: 'x' appears twice.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{"name":"y"},{"name":"y"}]}""", "outputs[1].name: 'y' is requested twice.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{}]}""", "outputs[0].name: required.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{"name":"y","parameters":{"binary_data":1}}]}""", "outputs[0].parameters.binary_data: expected true or false.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":[{"name":"y","parameters":{"classification":2}}]}""", "outputs[0].parameters.classification: the classification and shared-memory extensions are not supported.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"shared_memory_region":"r"}}]}""", "inputs[0] ('x').parameters: the shared-memory extension is not supported; send data or binary tensor data.")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":4}}]}""", "inputs[0] ('x').parameters.binary_data_size: binary tensor data needs the Inference-Header-Content-Length header.")]
    [InlineData("""{"parameters":{"binary_data_output":"yes"},"inputs":[]}""", "parameters.binary_data_output: expected true or false.")]
    public void Bad_requests_are_400_naming_the_field(string json, string message)
    {
        var error = Fails(json);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"inputs":[""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]} trailing""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1,]}]}""")]
    public void Malformed_json_is_400_bad_request(string json)
    {
        var error = Fails(json);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("BAD_REQUEST", error.ErrorCode);
        Assert.StartsWith("the request is not valid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/octet-stream")]
    public void Json_octet_stream_and_no_content_type_are_accepted(string? contentType)
    {
        var request = Decode("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""", contentType);
        Assert.Single(request.Inputs);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/csv")]
    [InlineData("application/json; charset=latin-1")]
    public void Other_content_types_are_415(string contentType)
    {
        var error = Fails("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""", contentType);
        Assert.Equal(415, error.StatusCode);
        Assert.Contains(contentType, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Id_and_output_options_are_read()
    {
        var request = Decode("""
            {"id":"req-7","parameters":{"binary_data_output":true,"priority":1},"model_name":"ignored",
             "inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],
             "outputs":[{"name":"a","parameters":{"binary_data":false}},{"name":"b"}]}
            """);
        Assert.Equal("req-7", request.Id);
        Assert.Equal(["a", "b"], request.Outputs.RequestedNames!);
        Assert.True(request.Outputs.BinaryByDefault);
        Assert.False(request.Outputs.IsBinary("a"));
        Assert.True(request.Outputs.IsBinary("b"));
        Assert.False(request.Outputs.Includes("c"));
    }

    [Fact]
    public void Without_outputs_all_are_returned_as_json()
    {
        var request = Decode("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""");
        Assert.Null(request.Id);
        Assert.Null(request.Outputs.RequestedNames);
        Assert.True(request.Outputs.Includes("anything"));
        Assert.False(request.Outputs.IsBinary("anything"));
    }

    [Fact]
    public void Binary_inputs_of_every_fixed_size_type_and_bytes_are_read_in_input_order()
    {
        var header = """
            {"inputs":[
              {"name":"u","shape":[2,2],"datatype":"UINT32","parameters":{"binary_data_size":16}},
              {"name":"b","shape":[3],"datatype":"BOOL","parameters":{"binary_data_size":3}},
              {"name":"j","shape":[2],"datatype":"INT16","data":[-1,2]},
              {"name":"s","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":17}},
              {"name":"h","shape":[1],"datatype":"FP16","parameters":{"binary_data_size":2}},
              {"name":"d","shape":[1],"datatype":"FP64","parameters":{"binary_data_size":8}}
            ]}
            """;
        var body = new List<byte>(Encoding.UTF8.GetBytes(header));
        foreach (var v in new uint[] { 1, 2, 3, uint.MaxValue })
        {
            body.AddRange(BitConverter.GetBytes(v));
        }

        body.AddRange([1, 0, 1]);
        foreach (var s in new[] { "hi", "caf\u00e9 x" })
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            body.AddRange(BitConverter.GetBytes((uint)bytes.Length));
            body.AddRange(bytes);
        }

        body.AddRange(BitConverter.GetBytes((Half)1.5));
        body.AddRange(BitConverter.GetBytes(-0.25));
        var request = V2RequestReader.Decode(body.ToArray(), "application/octet-stream", Encoding.UTF8.GetByteCount(header).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new uint[] { 1, 2, 3, uint.MaxValue }, request.Inputs[0].As<uint>());
        Assert.Equal([2L, 2L], request.Inputs[0].Shape);
        Assert.Equal(new[] { true, false, true }, request.Inputs[1].As<bool>());
        Assert.Equal(new short[] { -1, 2 }, request.Inputs[2].As<short>());
        Assert.Equal(new[] { "hi", "caf\u00e9 x" }, request.Inputs[3].As<string>());
        Assert.Equal(new[] { (Half)1.5 }, request.Inputs[4].As<Half>());
        Assert.Equal(new[] { -0.25 }, request.Inputs[5].As<double>());
    }

    [Theory]
    [InlineData("FP32", "[2]", 4, 4, "inputs[0] ('x').data: binary_data_size is 4 bytes but shape and datatype FP32 need 8.")]
    [InlineData("FP32", "[1]", 4, 8, "Inference-Header-Content-Length: 4 bytes of binary data after the JSON are not claimed by any input's parameters.binary_data_size.")]
    [InlineData("FP32", "[1]", 8, 4, "inputs[0] ('x').parameters.binary_data_size: 8 bytes, but only 4 bytes of binary data are left in the body.")]
    [InlineData("BOOL", "[2]", 2, 2, "inputs[0] ('x').data[0]: a BOOL byte must be 0 or 1, not 7.")]
    [InlineData("BYTES", "[2]", 4, 4, "inputs[0] ('x').parameters.binary_data_size: 4 bytes cannot hold 2 BYTES elements.")]
    [InlineData("BYTES", "[1]", 6, 6, "inputs[0] ('x')[0]: BYTES element of 117901063 bytes runs past the binary_data_size.")]
    public void Binary_size_mismatches_are_400(string datatype, string shape, int declared, int sent, string message)
    {
        var header = $$$"""{"inputs":[{"name":"x","shape":{{{shape}}},"datatype":"{{{datatype}}}","parameters":{"binary_data_size":{{{declared}}}}}]}""";
        var bytes = new byte[sent];
        Array.Fill(bytes, (byte)7);
        var body = Encoding.UTF8.GetBytes(header).Concat(bytes).ToArray();
        var error = Assert.Throws<ScoringException>(() => V2RequestReader.Decode(body, null, header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(message.Replace("('x')[0]", "('x').data[0]", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Binary_bytes_must_be_utf8_text()
    {
        var header = """{"inputs":[{"name":"x","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":5}}]}""";
        var body = Encoding.UTF8.GetBytes(header).Concat(new byte[] { 1, 0, 0, 0, 0xFF }).ToArray();
        var error = Assert.Throws<ScoringException>(() => V2RequestReader.Decode(body, null, header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("inputs[0] ('x').data[0]: BYTES element is not valid UTF-8 text.", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("100000")]
    public void A_bad_header_length_is_400_naming_the_header(string value)
    {
        var body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""");
        var error = Assert.Throws<ScoringException>(() => V2RequestReader.Decode(body, null, value));
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith($"Inference-Header-Content-Length: '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_length_equal_to_the_body_means_json_only()
    {
        var json = """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""";
        var request = V2RequestReader.Decode(Encoding.UTF8.GetBytes(json), null, json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new[] { 1f }, request.Inputs[0].As<float>());
    }

    [Fact]
    public void Read_binds_to_the_contract_strictly()
    {
        var contract = TestContracts.Columns();
        var json = """
            {"id":"r1","inputs":[
              {"name":"education","shape":[2],"datatype":"BYTES","data":["HS","BSc"]},
              {"name":"hours","shape":[2],"datatype":"INT64","data":[40,20]},
              {"name":"age","shape":[2],"datatype":"FP64","data":[39,50.5]}],
             "outputs":[{"name":"label"}]}
            """;
        var read = V2RequestReader.Read(Encoding.UTF8.GetBytes(json), null, null, contract);
        Assert.Equal("r1", read.Id);
        Assert.Equal(2, read.Request.Rows);
        Assert.Equal(["age", "hours", "education", "gain"], read.Request.Inputs.Select(i => i.Name));
        Assert.Equal(new[] { 39, 50.5 }, read.Request.Inputs[0].As<double>());
        Assert.All(read.Request.Inputs[3].As<double>(), v => Assert.True(double.IsNaN(v)));
        Assert.Equal(["label"], read.Request.Outputs!);
    }

    [Theory]
    [InlineData("""{"name":"hours","shape":[1],"datatype":"INT32","data":[40]}""", "hours")]
    [InlineData("""{"name":"hours","shape":[1,1],"datatype":"INT64","data":[40]}""", "hours")]
    [InlineData("""{"name":"extra","shape":[1],"datatype":"INT64","data":[40]}""", "extra")]
    public void Read_refuses_what_does_not_fit_the_model_naming_the_input(string secondInput, string named)
    {
        var json = $$"""
            {"inputs":[{"name":"age","shape":[1],"datatype":"FP64","data":[39]},
              {"name":"education","shape":[1],"datatype":"BYTES","data":["HS"]},{{secondInput}}]}
            """;
        var error = Assert.Throws<ScoringException>(() => V2RequestReader.Read(Encoding.UTF8.GetBytes(json), null, null, TestContracts.Columns()));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_refuses_an_unknown_output()
    {
        var json = """{"inputs":[{"name":"input-0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"probs"}]}""";
        var error = Assert.Throws<ScoringException>(() => V2RequestReader.Read(Encoding.UTF8.GetBytes(json), null, null, TestContracts.IrisTensor()));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("'probs'", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> SplitTopLevel(string items)
    {
        // Splits "1,2,\"a,b\"" at commas outside strings.
        var start = 0;
        var inString = false;
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] == '"' && (i == 0 || items[i - 1] != '\\'))
            {
                inString = !inString;
            }
            else if (items[i] == ',' && !inString)
            {
                yield return items[start..i];
                start = i + 1;
            }
        }

        yield return items[start..];
    }

    internal static byte[] FloatsLittleEndian(IEnumerable<float> values)
    {
        var list = new List<byte>();
        Span<byte> four = stackalloc byte[4];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, v);
            list.AddRange(four.ToArray());
        }

        return list.ToArray();
    }
}
