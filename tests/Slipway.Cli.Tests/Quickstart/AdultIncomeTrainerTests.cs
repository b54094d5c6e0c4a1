using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Slipway.Cli.Quickstart.Training;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Packaging;

namespace Slipway.Cli.Tests.Quickstart;

public class AdultIncomeTrainerTests(TrainedAdultModel trained) : IClassFixture<TrainedAdultModel>
{
    private const int RowsCompared = 2000;

    [Fact]
    public void Onnx_export_predicts_the_same_as_the_mlnet_model_on_held_out_rows()
    {
        var ml = new MLContext(seed: AdultIncomeTrainer.Seed);
        var (_, test) = AdultIncomeTrainer.Split(ml, AdultIncomeTrainer.ReadRows(trained.DataPath));
        var rows = ml.Data.CreateEnumerable<AdultRow>(test, reuseRowObject: false).Take(RowsCompared).ToList();

        var mlnet = ml.Model.Load(trained.Result.MlnetPath, out _);
        var scored = mlnet.Transform(ml.Data.LoadFromEnumerable(rows));
        var expectedLabels = scored.GetColumn<bool>("PredictedLabel").ToArray();
        var expectedProbabilities = scored.GetColumn<float>("Probability").ToArray();

        using var session = new InferenceSession(trained.Result.OnnxPath);
        var inputs = new List<NamedOnnxValue>();
        for (var c = 0; c < AdultIncomeTrainer.FeatureColumns.Count; c++)
        {
            var name = AdultIncomeTrainer.FeatureColumns[c];
            var values = rows.Select(r => AdultIncomeTrainer.FeatureValues(r)[c]).ToArray();
            inputs.Add(values[0] is float
                ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values.Cast<float>().ToArray(), [rows.Count, 1]))
                : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values.Cast<string>().ToArray(), [rows.Count, 1])));
        }

        using var results = session.Run(inputs);
        var labels = results.Single(r => r.Name.StartsWith("PredictedLabel", StringComparison.Ordinal)).AsEnumerable<bool>().ToArray();
        var probabilities = results.Single(r => r.Name.StartsWith("Probability", StringComparison.Ordinal)).AsEnumerable<float>().ToArray();

        Assert.Equal(rows.Count, labels.Length);
        Assert.Equal(expectedLabels, labels);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.True(Math.Abs(expectedProbabilities[i] - probabilities[i]) < 1e-4, $"row {i}: ML.NET {expectedProbabilities[i]}, ONNX {probabilities[i]}");
        }

        // Both classes occur, so the agreement above is not two constant models agreeing.
        Assert.Contains(true, labels);
        Assert.Contains(false, labels);
    }

    [Fact]
    public void Held_out_metrics_are_sane()
    {
        var metrics = trained.Result.Metrics;

        Assert.Equal(["accuracy", "auc", "f1", "log_loss"], metrics.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(metrics["accuracy"], 0.8, 1.0);
        Assert.InRange(metrics["auc"], 0.85, 1.0);
        Assert.InRange(metrics["f1"], 0.5, 1.0);
        Assert.InRange(metrics["log_loss"], 0.0, 0.7);
        Assert.Equal("FastTree", trained.Result.Params["trainer"]);
        Assert.Equal("42", trained.Result.Params["seed"]);
        Assert.True(int.Parse(trained.Result.Params["train_rows"]) > 4 * int.Parse(trained.Result.Params["test_rows"]) * 0.9);
    }

    [Fact]
    public void Boosting_curve_has_one_point_per_tree_and_ends_at_the_final_metrics()
    {
        var curve = trained.Result.Iterations;
        var metrics = trained.Result.Metrics;

        Assert.Equal(Enumerable.Range(1, AdultIncomeTrainer.Trees), curve.Select(p => p.Trees));

        // The full ensemble walked by hand scores exactly as the trained model does: same log-loss, AUC and accuracy.
        var last = curve[^1];
        Assert.Equal(metrics["log_loss"], last.LogLoss, 4);
        Assert.Equal(metrics["auc"], last.Auc, 4);
        Assert.Equal(metrics["accuracy"], last.Accuracy, 4);

        // Boosting learns: more trees predict better than one.
        Assert.True(curve[0].LogLoss > last.LogLoss + 0.05, $"log-loss after 1 tree {curve[0].LogLoss}, after {last.Trees} {last.LogLoss}");
        Assert.True(curve[0].Auc < last.Auc, $"AUC after 1 tree {curve[0].Auc}, after {last.Trees} {last.Auc}");
    }

    [Fact]
    public void Progress_is_reported_step_by_step()
    {
        Assert.Contains(trained.Progress, l => l.StartsWith("Training FastTree", StringComparison.Ordinal));
        Assert.Contains(trained.Progress, l => l.StartsWith("Held-out accuracy", StringComparison.Ordinal));
    }

    [Fact]
    public void Input_example_is_mlflow_dataframe_split_of_the_feature_columns()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(trained.Result.InputExamplePath));
        var split = document.RootElement.GetProperty("dataframe_split");

        Assert.Equal(AdultIncomeTrainer.FeatureColumns, split.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(AdultIncomeTrainer.FeatureColumns, trained.Result.FeatureColumns);
        var data = split.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(AdultIncomeTrainer.ExampleRows, data.Length);
        Assert.All(data, row =>
        {
            Assert.Equal(14, row.GetArrayLength());
            Assert.Equal(JsonValueKind.Number, row[0].ValueKind);
            Assert.Equal(JsonValueKind.String, row[1].ValueKind);

            // Values are trimmed: the data file's leading spaces must not reach the model.
            Assert.False(row[1].GetString()!.StartsWith(' '));
        });
    }

    [Fact]
    public async Task Exported_onnx_packages_with_one_typed_column_per_feature_and_the_example()
    {
        var output = Path.Combine(trained.Directory, "pkg-onnx-" + Guid.NewGuid().ToString("N"));

        var package = await ModelPackager.CreateAsync(
            trained.Result.OnnxPath, output, new PackageOptions(InputExamplePath: trained.Result.InputExamplePath), TimeProvider.System, CancellationToken.None);

        var columns = package.Signature!.Inputs!.Columns!;
        Assert.Equal(trained.Result.FeatureColumns, columns.Select(c => c.Name));
        Assert.Equal(ColumnType.Float, columns.Single(c => c.Name == "age").Type);
        Assert.Equal(ColumnType.String, columns.Single(c => c.Name == "workclass").Type);
        Assert.Contains("input_example.json", package.Files);
    }

    [Fact]
    public async Task Mlnet_zip_packages_with_the_same_input_columns()
    {
        var output = Path.Combine(trained.Directory, "pkg-zip-" + Guid.NewGuid().ToString("N"));

        var package = await ModelPackager.CreateAsync(
            trained.Result.MlnetPath, output, new PackageOptions(InputExamplePath: trained.Result.InputExamplePath), TimeProvider.System, CancellationToken.None);

        Assert.Equal("mlnet", package.Flavor);
        Assert.Equal(trained.Result.FeatureColumns, package.Signature!.Inputs!.Names);
        Assert.Equal(["PredictedLabel", "Score", "Probability"], package.Signature.Outputs!.Names);
    }

    [Fact]
    public async Task Training_is_deterministic()
    {
        var again = Path.Combine(trained.Directory, "again-" + Guid.NewGuid().ToString("N"));

        var result = await AdultIncomeTrainer.TrainAsync(trained.DataPath, again, null, CancellationToken.None);

        Assert.Equal(trained.Result.Metrics, result.Metrics);
        Assert.Equal(File.ReadAllText(trained.Result.InputExamplePath), File.ReadAllText(result.InputExamplePath));
    }

    [Fact]
    public async Task Missing_data_file_is_rejected()
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            AdultIncomeTrainer.TrainAsync(Path.Combine(trained.Directory, "nope.data"), Path.Combine(trained.Directory, "x"), null, CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("age, workclass\n1, x\n", "has no column 'fnlwgt'")]
    [InlineData("", "is empty")]
    public async Task Malformed_data_is_rejected(string content, string message)
    {
        var path = Path.Combine(trained.Directory, Guid.NewGuid().ToString("N") + ".data");
        await File.WriteAllTextAsync(path, content);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            AdultIncomeTrainer.TrainAsync(path, Path.Combine(trained.Directory, "x"), null, CancellationToken.None));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_numeric_value_is_rejected_with_its_line()
    {
        var lines = File.ReadLines(trained.DataPath).Take(30).ToList();
        lines[5] = "abc" + lines[5][lines[5].IndexOf(',', StringComparison.Ordinal)..];
        var path = Path.Combine(trained.Directory, Guid.NewGuid().ToString("N") + ".data");
        await File.WriteAllLinesAsync(path, lines);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            AdultIncomeTrainer.TrainAsync(path, Path.Combine(trained.Directory, "x"), null, CancellationToken.None));

        Assert.Equal("training data line 6: 'age' is not a number.", error.Message);
    }
}
