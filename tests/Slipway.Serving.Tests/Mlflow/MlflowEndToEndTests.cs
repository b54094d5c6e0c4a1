using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Serving.Protocols.Mlflow;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tests.Runtimes;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Mlflow;

/// <summary>The iris model scored through parse → bind → ONNX Runtime → write, against scikit-learn's own outputs.</summary>
public sealed class MlflowEndToEndTests : IDisposable
{
    private readonly TempDirectory temp = new("slipway-mlflow-e2e");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("dataframe_split")]
    [InlineData("csv")]
    public void Iris_table_scores_like_scikit_learn(string format)
    {
        var expected = ExpectedOutputs.Read(TestPackages.Model("iris_logreg.expected.json"));
        var package = TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx"), ["a", "b", "c", "d"]);
        using var runtime = ModelRuntimes.Load(package, "iris", "1", new RuntimeOptions());
        var rows = expected.Input.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).ToArray();
        var (body, contentType) = format == "csv"
            ? ("a,b,c,d\n" + string.Join("\n", rows), "text/csv")
            : ("{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"c\", \"d\"], \"data\": [" + string.Join(", ", rows.Select(r => "[" + r + "]")) + "]}}", "application/json");

        var parsed = MlflowRequestReader.Parse(Encoding.UTF8.GetBytes(body), contentType, runtime.Contract);
        var outputs = runtime.Run(parsed.Request);
        var buffer = new ArrayBufferWriter<byte>();
        MlflowResponseWriter.Write(buffer, new InferenceResult(outputs, runtime.Contract));

        using var response = JsonDocument.Parse(buffer.WrittenMemory);
        var predictions = response.RootElement.GetProperty("predictions");
        Assert.Equal(expected.Rows, predictions.GetArrayLength());
        var labelName = runtime.Contract.Outputs[0].Name;
        for (var i = 0; i < expected.Rows; i++)
        {
            Assert.Equal(expected.Label![i], predictions[i].GetProperty(labelName).GetInt64());
        }
    }
}
