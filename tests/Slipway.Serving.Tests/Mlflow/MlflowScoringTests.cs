using System.Buffers;
using System.Text;
using System.Text.Json;
using Slipway.Serving.Protocols.Mlflow;
using Slipway.Serving.Tensors;
using static Slipway.Serving.Tests.Binding.TestContracts;

namespace Slipway.Serving.Tests.Mlflow;

public sealed class MlflowScoringTests
{
    private const string Json = "application/json";

    private static MlflowScoringRequest Parse(string body, ModelContract contract, string contentType = Json) =>
        MlflowRequestReader.Parse(Encoding.UTF8.GetBytes(body), contentType, contract);

    private static ScoringException Fails(string body, ModelContract contract, int status, string code, string contentType = Json)
    {
        var e = Assert.Throws<ScoringException>(() => Parse(body, contract, contentType));
        Assert.Equal(status, e.StatusCode);
        Assert.Equal(code, e.ErrorCode);
        return e;
    }

    public static TheoryData<string, string> TableBodies => new()
    {
        { """{"dataframe_split": {"columns": ["a", "b", "c", "name"], "data": [[1.5, 2, 3, "x"], [2.5, 4, 0.25, "y"]]}}""", Json },
        { """{"dataframe_split": {"data": [[1.5, 2, 3, "x"], [2.5, 4, 0.25, "y"]], "index": [7, 8], "columns": ["a", "b", "c", "name"]}}""", Json },
        { """{"dataframe_records": [{"a": 1.5, "b": 2, "c": 3, "name": "x"}, {"name": "y", "c": 0.25, "b": 4, "a": 2.5}]}""", Json },
        { """{"instances": [{"a": 1.5, "b": 2, "c": 3, "name": "x"}, {"a": 2.5, "b": 4, "c": 0.25, "name": "y"}]}""", Json },
        { """{"inputs": {"a": [1.5, 2.5], "b": [2, 4], "c": [3, 0.25], "name": ["x", "y"]}, "params": null, "other": 1}""", Json },
        { """{"inputs": [{"a": 1.5, "b": 2, "c": 3, "name": "x"}, {"a": 2.5, "b": 4, "c": 0.25, "name": "y"}]}""", Json },
        { "a,b,c,name\r\n1.5,2,3,x\n\n2.5,4,0.25,\"y\"\n", "text/csv" },
        { "a,b,c,name\n1.5,2,3,x\n2.5,4,0.25,y", "text/csv; charset=UTF-8" },
    };

    [Theory]
    [MemberData(nameof(TableBodies))]
    public void Every_format_binds_to_the_same_table(string body, string contentType)
    {
        var request = Parse(body, Table(), contentType).Request;

        Assert.Equal(2, request.Rows);
        Assert.Equal([1.5, 2.5], request.Inputs[0].As<double>());
        Assert.Equal([2L, 4L], request.Inputs[1].As<long>());
        Assert.Equal([3f, 0.25f], request.Inputs[2].As<float>());
        Assert.Equal(["x", "y"], request.Inputs[3].As<string>());
        Assert.True(double.IsNaN(request.Inputs[4].As<double>()[0]));
    }

    public static TheoryData<string> TensorBodies => new()
    {
        """{"inputs": [[1, 2, 3, 4], [5, 6, 7, 8.5]]}""",
        """{"instances": [[1, 2, 3, 4], [5, 6, 7, 8.5]]}""",
        """{"inputs": {"float_input": [[1, 2, 3, 4], [5, 6, 7, 8.5]]}}""",
        """{"instances": [{"float_input": [1, 2, 3, 4]}, {"float_input": [5, 6, 7, 8.5]}]}""",
        """{"dataframe_split": {"columns": ["p", "q", "r", "s"], "data": [[1, 2, 3, 4], [5, 6, 7, 8.5]]}}""",
        """{"dataframe_split": {"columns": ["float_input"], "data": [[[1, 2, 3, 4]], [[5, 6, 7, 8.5]]]}}""",
    };

    [Theory]
    [MemberData(nameof(TensorBodies))]
    public void Every_format_binds_to_the_same_tensor(string body)
    {
        var request = Parse(body, IrisTensor(named: !body.Contains("\"p\"", StringComparison.Ordinal))).Request;

        var input = Assert.Single(request.Inputs);
        Assert.Equal("float_input", input.Name);
        Assert.Equal([2L, 4L], input.Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8.5f], input.As<float>());
    }

    [Theory]
    [InlineData("{}", "Received dictionary with input fields: []")]
    [InlineData("""{"inputs": [1], "instances": [1]}""", "Received dictionary with input fields: ['instances', 'inputs']")]
    [InlineData("[1, 2]", "Received a list.")]
    [InlineData("\"text\"", "Received unexpected input type")]
    public void Bodies_without_exactly_one_format_key_are_bad_requests(string body, string expected)
    {
        var e = Fails(body, Table(), 400, "BAD_REQUEST");

        Assert.StartsWith("The input must be a JSON dictionary with exactly one of the input fields", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"inputs\": [1, 2}")]
    [InlineData("{\"inputs\": [1]} trailing")]
    [InlineData("{\"inputs\": [NaN]}")]
    public void Malformed_json_is_a_bad_request(string body)
    {
        var e = Fails(body, Table(), 400, "BAD_REQUEST");

        Assert.StartsWith("Ensure that input is a valid JSON formatted string.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"dataframe_split": [[1]]}""", "Dataframe split format must be a dictionary. Got list.")]
    [InlineData("""{"dataframe_split": {"columns": ["a"]}}""", "Dataframe split format must have 'data' field")]
    [InlineData("""{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2, 3]]}}""", "2 columns passed, passed data had 3 columns")]
    [InlineData("""{"dataframe_records": {"a": 1}}""", "Dataframe records format must be a list of records. Got dictionary.")]
    [InlineData("""{"instances": [{"a": 1}, {"b": 2}]}""", "The length of values for each input/column name are not the same")]
    public void Malformed_frames_are_bad_requests_with_mlflow_messages(string body, string expected)
    {
        var e = Fails(body, Table(), 400, "BAD_REQUEST");

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b\n\"unterminated,1\n", "EOF inside string")]
    [InlineData("a,b,c,name\n1,2,3,x,extra\n", "Expected 4 fields in line 2, saw 5")]
    [InlineData("a,b,c,name\n1,notanumber,3,x\n", "Unable to parse string \"notanumber\"")]
    [InlineData("", "No columns to parse from file")]
    public void Malformed_csv_is_a_bad_request(string body, string expected)
    {
        var e = Fails(body, Table(), 400, "BAD_REQUEST", "text/csv");

        Assert.StartsWith("Failed to parse input as a Pandas DataFrame.", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_quoting_keeps_commas_quotes_and_line_breaks_in_text()
    {
        var body = "name,a,b,c\n\"Smith, \"\"Jo\"\"\nline2\",1,2,3\n";

        var request = Parse(body, Table(), "text/csv").Request;

        Assert.Equal("Smith, \"Jo\"\nline2", request.Inputs[3].As<string>()[0]);
        Assert.Equal([1.0], request.Inputs[0].As<double>());
    }

    [Theory]
    [InlineData("text/plain", "This predictor only supports the following content types: Types: ['text/csv', 'application/json']. Got 'text/plain'.")]
    [InlineData(null, "Got 'None'.")]
    [InlineData("application/json; charset=latin-1", "The scoring server only supports UTF-8")]
    [InlineData("application/json; format=pandas-split", "Unrecognized content type parameters: format.")]
    public void Other_content_types_and_charsets_are_415(string? contentType, string expected)
    {
        var e = Assert.Throws<ScoringException>(() => MlflowRequestReader.Parse("{}"u8.ToArray(), contentType, Table()));

        Assert.Equal(415, e.StatusCode);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_charset_parameter_is_accepted_as_mlflow_does()
    {
        var parsed = Parse("""{"inputs": [[1, 2, 3, 4]]}""", IrisTensor(), "application/json; charset=utf-8");

        Assert.Equal(MlflowInputFormat.Inputs, parsed.Format);
    }

    [Fact]
    public void Schema_mismatches_are_invalid_parameter_value_naming_the_field()
    {
        var missing = Fails("""{"dataframe_split": {"columns": ["a", "c", "name"], "data": [[1, 2, "x"]]}}""", Table(), 400, "INVALID_PARAMETER_VALUE");
        Assert.Equal("Model is missing inputs ['b'].", missing.Message);

        var nan = Fails("""{"dataframe_records": [{"a": 1, "b": null, "c": 1, "name": "x"}]}""", Table(), 400, "INVALID_PARAMETER_VALUE");
        Assert.StartsWith("column 'b' has a missing value at row 0", nan.Message, StringComparison.Ordinal);

        var text = Fails("""{"inputs": {"a": ["x"], "b": [1], "c": [1], "name": ["x"]}}""", Table(), 400, "INVALID_PARAMETER_VALUE");
        Assert.Equal("Incompatible input types for column 'a'. Can not safely convert str to float64.", text.Message);

        var ragged = Fails("""{"inputs": [[1, 2, 3, 4], [1, 2, 3]]}""", IrisTensor(), 400, "INVALID_PARAMETER_VALUE");
        Assert.Contains("ragged", ragged.Message, StringComparison.Ordinal);

        var shape = Fails("""{"inputs": [[1, 2, 3]]}""", IrisTensor(), 400, "INVALID_PARAMETER_VALUE");
        Assert.Equal("Shape of input 'float_input' (1, 3) does not match expected shape (-1, 4).", shape.Message);
    }

    [Fact]
    public void Params_follow_the_signature_schema()
    {
        const string schema = """[{"name": "temperature", "type": "float", "default": 0.5, "shape": null}, {"name": "k", "type": "long", "default": 3, "shape": null}]""";
        var contract = Table(schema);
        const string data = "\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"c\": 3, \"name\": \"x\"}]";

        var parsed = Parse("{" + data + """, "params": {"temperature": 1, "unknown": true}}""", contract);
        Assert.Equal(1.0, parsed.Params["temperature"]);
        Assert.Equal(3L, parsed.Params["k"]);
        Assert.False(parsed.Params.ContainsKey("unknown"));

        Assert.Equal(0.5, Parse("{" + data + "}", contract).Params["temperature"]);

        var wrong = Fails("{" + data + """, "params": {"k": 1.5}}""", contract, 400, "INVALID_PARAMETER_VALUE");
        Assert.StartsWith("Param 'k':", wrong.Message, StringComparison.Ordinal);

        var notObject = Fails("{" + data + """, "params": [1]}""", contract, 400, "INVALID_PARAMETER_VALUE");
        Assert.Equal("Parameters must be a dictionary. Got type 'list'.", notObject.Message);
    }

    [Fact]
    public void Table_models_answer_records_with_python_numbers()
    {
        var outputs = new[]
        {
            new Tensor("label", TensorType.Int64, [2], new long[] { 0, 2 }),
            new Tensor("probabilities", TensorType.Float32, [2, 3], new[] { 0.1f, 0.2f, 0.7f, 1f, float.NaN, float.PositiveInfinity }),
        };

        var text = Write(new InferenceResult(outputs, IrisTable()));

        Assert.Equal("""{"predictions":[{"label":0,"probabilities":[0.1,0.2,0.7]},{"label":2,"probabilities":[1.0,NaN,Infinity]}]}""", text);
    }

    [Fact]
    public void Tensor_models_answer_a_dict_of_nested_lists()
    {
        var outputs = new[]
        {
            new Tensor("label", TensorType.Int64, [2], new long[] { 0, 2 }),
            new Tensor("probabilities", TensorType.Float64, [2, 2], new[] { 1e-5, 1e16, 1e15, -0.0 }),
        };

        var text = Write(new InferenceResult(outputs, IrisTensor()));

        Assert.Equal("""{"predictions":{"label":[0,2],"probabilities":[[1e-05,1e+16],[1000000000000000.0,-0.0]]}}""", text);
    }

    [Fact]
    public void Malformed_bodies_never_throw_anything_but_scoring_exceptions()
    {
        var seeds = ((IEnumerable<object[]>)TableBodies).Concat(TensorBodies).Select(row => (string)row[0]).ToArray();
        var random = new Random(1234);
        var alphabet = "{}[],:\"0123456789.-eE nul tr fasxNaInfy\n\\";
        for (var i = 0; i < 3000; i++)
        {
            var body = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(body.Length);
                switch (random.Next(3))
                {
                    case 0: body.Remove(at, 1); break;
                    case 1: body.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: body[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }

            foreach (var contract in new[] { Table(), IrisTensor(), TwoTensors() })
            {
                foreach (var contentType in new[] { Json, "text/csv" })
                {
                    try
                    {
                        Parse(body.ToString(), contract, contentType);
                    }
                    catch (ScoringException e)
                    {
                        Assert.True(e.StatusCode is 400, $"{e.StatusCode} for {body}");
                    }
                }
            }
        }
    }

    private static string Write(InferenceResult result)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MlflowResponseWriter.Write(buffer, result);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text;
    }
}
