using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.Serving.OpenApi;
using Slipway.Serving.Protocols.V2;
using Slipway.Serving.Tests.V2;

namespace Slipway.Serving.Tests.OpenApi;

public sealed class ModelOpenApiWriterTests
{
    private static JsonNode Document(ModelContract contract)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ModelOpenApiWriter.Write(buffer, contract);
        return JsonNode.Parse(buffer.WrittenSpan)!;
    }

    private static JsonNode Resolve(JsonNode document, JsonNode node) =>
        node["$ref"] is { } reference ? document["components"]!["schemas"]![((string)reference!)["#/components/schemas/".Length..]]! : node;

    [Fact]
    public void Column_model_document_has_the_paths_schemas_and_example()
    {
        const string example = """{"columns": ["age", "hours", "education"], "data": [[39.0, 40, "Bachelors"], [50.5, 13, "HS-grad"]]}""";
        var document = Document(TestContracts.Columns(example));

        Assert.Equal("3.0.3", (string?)document["openapi"]);
        Assert.Equal("3", (string?)document["info"]!["version"]);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToArray();
        Assert.Equal(["/invocations", "/models/adult/invocations", "/v2/models/adult/infer", "/v2/models/adult", "/v2/models/adult/ready"], paths);

        var invocations = document["paths"]!["/invocations"]!["post"]!;
        var json = invocations["requestBody"]!["content"]!["application/json"]!;
        Assert.NotNull(invocations["requestBody"]!["content"]!["text/csv"]);
        var request = Resolve(document, json["schema"]!);
        Assert.Equal(
            ["#/components/schemas/DataframeSplit", "#/components/schemas/DataframeRecords", "#/components/schemas/Instances", "#/components/schemas/Inputs"],
            request["oneOf"]!.AsArray().Select(r => (string?)r!["$ref"]));
        Assert.Equal(["400", "415", "429", "503"], invocations["responses"]!.AsObject().Select(p => p.Key).Skip(1));
        Assert.Equal("#/components/schemas/MlflowError", (string?)invocations["responses"]!["400"]!["content"]!["application/json"]!["schema"]!["$ref"]);

        // The example is the package's split example as a dataframe_split request.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"dataframe_split": {{example}}}"""), json["example"]));

        // Rows: one typed property per column; required columns required; the optional one nullable.
        var row = document["components"]!["schemas"]!["Row"]!;
        Assert.Equal(["age", "hours", "education"], row["required"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("number", (string?)row["properties"]!["age"]!["type"]);
        Assert.Equal("double", (string?)row["properties"]!["age"]!["format"]);
        Assert.Equal("int64", (string?)row["properties"]!["hours"]!["format"]);
        Assert.Equal("string", (string?)row["properties"]!["education"]!["type"]);
        Assert.True((bool)row["properties"]!["gain"]!["nullable"]!);
        Assert.Null(row["properties"]!["age"]!["nullable"]);

        var split = document["components"]!["schemas"]!["DataframeSplit"]!;
        Assert.Equal(["dataframe_split"], split["required"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["age", "hours", "education", "gain"], split["properties"]!["dataframe_split"]!["properties"]!["columns"]!["items"]!["enum"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Column_model_v2_schema_lists_each_column_and_the_example_is_a_valid_v2_request()
    {
        const string example = """{"columns": ["age", "hours", "education"], "data": [[39.0, 40, "Bachelors"], [50.5, 13, "HS-grad"]]}""";
        var contract = TestContracts.Columns(example);
        var document = Document(contract);
        var infer = document["paths"]!["/v2/models/adult/infer"]!["post"]!;
        Assert.Equal(["200", "400", "404", "415", "429", "503"], infer["responses"]!.AsObject().Select(p => p.Key));
        Assert.NotNull(infer["requestBody"]!["content"]!["application/octet-stream"]);

        var request = document["components"]!["schemas"]!["V2InferenceRequest"]!;
        var inputs = request["properties"]!["inputs"]!;
        Assert.Equal(3, (int)inputs["minItems"]!);
        Assert.Equal(4, (int)inputs["maxItems"]!);
        var hours = document["components"]!["schemas"]!["V2Input1"]!;
        Assert.Equal(["hours"], hours["properties"]!["name"]!["enum"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["INT64"], hours["properties"]!["datatype"]!["enum"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(1, (int)hours["properties"]!["shape"]!["maxItems"]!);
        Assert.Equal(["label"], request["properties"]!["outputs"]!["items"]!["properties"]!["name"]!["enum"]!.AsArray().Select(n => (string?)n));

        // The V2 example built from the package's example binds to the model.
        var v2Example = infer["requestBody"]!["content"]!["application/json"]!["example"]!.ToJsonString();
        var read = V2RequestReader.Read(Encoding.UTF8.GetBytes(v2Example), null, null, contract);
        Assert.Equal(2, read.Request.Rows);
        Assert.Equal(new[] { 40L, 13L }, read.Request.Inputs[1].As<long>());
        Assert.Equal(new[] { "Bachelors", "HS-grad" }, read.Request.Inputs[2].As<string>());
    }

    [Fact]
    public void Tensor_model_document_has_nested_array_schemas_and_inputs_example()
    {
        const string example = """{"inputs": [[5.1, 3.5, 1.4, 0.2]]}""";
        var contract = TestContracts.IrisTensor(example);
        var document = Document(contract);
        var schemas = document["components"]!["schemas"]!;

        Assert.Null(schemas["DataframeSplit"]);
        Assert.Null(document["paths"]!["/invocations"]!["post"]!["requestBody"]!["content"]!["text/csv"]);
        var inputs = schemas["Inputs"]!["properties"]!["inputs"]!;
        Assert.Equal("array", (string?)inputs["type"]);
        Assert.Null(inputs["minItems"]);
        Assert.Equal(4, (int)inputs["items"]!["minItems"]!);
        Assert.Equal(4, (int)inputs["items"]!["maxItems"]!);
        Assert.Equal("number", (string?)inputs["items"]!["items"]!["type"]);
        Assert.Equal("float", (string?)inputs["items"]!["items"]!["format"]);
        var instances = schemas["Instances"]!["properties"]!["instances"]!;
        Assert.Equal(4, (int)instances["items"]!["maxItems"]!);

        var json = document["paths"]!["/models/iris/invocations"]!["post"]!["requestBody"]!["content"]!["application/json"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example), json["example"]));
        var v2Example = document["paths"]!["/v2/models/iris/infer"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"inputs":[{"name":"input-0","shape":[1,4],"datatype":"FP32","data":[[5.1,3.5,1.4,0.2]]}]}"""), v2Example));
        var read = V2RequestReader.Read(Encoding.UTF8.GetBytes(v2Example.ToJsonString()), null, null, contract);
        Assert.Equal(1, read.Request.Rows);
    }

    [Fact]
    public void A_model_without_or_with_a_broken_example_still_gets_a_document()
    {
        foreach (var example in new string?[] { null, "{not json" })
        {
            var document = Document(TestContracts.IrisTensor(example));
            Assert.Null(document["paths"]!["/invocations"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]);
            Assert.NotNull(document["components"]!["schemas"]!["V2InferenceRequest"]);
        }
    }

    [Fact]
    public void Every_reference_points_at_a_defined_schema()
    {
        foreach (var contract in new[] { TestContracts.Columns(), TestContracts.IrisTensor() })
        {
            var document = Document(contract);
            var schemas = document["components"]!["schemas"]!.AsObject();
            var references = new List<string>();
            Collect(document, references);
            Assert.NotEmpty(references);
            Assert.All(references, r => Assert.True(schemas.ContainsKey(r["#/components/schemas/".Length..]), r));
        }
    }

    private static void Collect(JsonNode? node, List<string> references)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref")
                    {
                        references.Add((string)value!);
                    }
                    else
                    {
                        Collect(value, references);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, references);
                }

                break;
        }
    }
}
