using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Core.Registry;

namespace Slipway.Cli.Quickstart.Training;

/// <summary>
/// The quickstart's real training step: an ML.NET FastTree binary classifier on the UCI Adult data
/// (income above 50K), exported to ONNX and to an ML.NET zip.
/// </summary>
public static class AdultIncomeTrainer
{
    /// <summary>The random seed for the split and the trainer (fixed, so runs are repeatable).</summary>
    public const int Seed = 42;

    /// <summary>The fraction of rows held out for metrics: 0.2.</summary>
    public const double TestFraction = 0.2;

    /// <summary>Number of boosted trees: 50.</summary>
    public const int Trees = 50;

    /// <summary>Leaves per tree: 20.</summary>
    public const int Leaves = 20;

    /// <summary>Boosting learning rate: 0.2.</summary>
    public const double LearningRate = 0.2;

    /// <summary>Rows written to the input example: 5.</summary>
    public const int ExampleRows = 5;

    /// <summary>Held-out rows the quickstart sends to the served champion.</summary>
    public const int ServingSampleRows = 200;

    /// <summary>Held-out rows of people under 30 the quickstart sends as a drifted slice of traffic.</summary>
    public const int DriftedSliceRows = 300;

    /// <summary>The drifted slice holds people younger than this.</summary>
    public const float DriftedSliceMaximumAge = 30;

    /// <summary>The label column of the data file; <c>&gt;50K</c> is the positive class.</summary>
    public const string LabelColumn = "Salary";

    /// <summary>Numeric feature columns (float32).</summary>
    public static IReadOnlyList<string> NumericColumns { get; } = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"];

    /// <summary>Categorical feature columns (strings, one-hot encoded).</summary>
    public static IReadOnlyList<string> CategoricalColumns { get; } =
        ["workclass", "education", "marital-status", "occupation", "relationship", "race", "sex", "native-country"];

    /// <summary>All feature columns in the data file's order.</summary>
    public static IReadOnlyList<string> FeatureColumns { get; } =
        ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country"];

    /// <summary>
    /// Trains on <paramref name="dataPath"/> (CSV with a header; values may have a leading space) and writes
    /// <c>model.onnx</c>, <c>model.zip</c> and <c>input_example.json</c> into <paramref name="outputDirectory"/>.
    /// </summary>
    /// <param name="dataPath">The Adult data file (header row, 14 feature columns and <c>Salary</c>).</param>
    /// <param name="outputDirectory">Where the files go; created when absent.</param>
    /// <param name="progress">Receives one line per step; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <param name="trees">Boosted trees to train (default <see cref="Trees"/>); the quickstart's lighter challenger uses fewer.</param>
    /// <exception cref="RegistryException">Invalid when the data file is missing or malformed.</exception>
    public static Task<TrainingResult> TrainAsync(string dataPath, string outputDirectory, IProgress<string>? progress, CancellationToken cancellationToken, int trees = Trees)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trees, 1);
        ArgumentException.ThrowIfNullOrEmpty(dataPath);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);

        // ML.NET is synchronous and CPU-bound: keep it off the caller's thread.
        return Task.Run(() => Train(dataPath, outputDirectory, progress, trees, cancellationToken), cancellationToken);
    }

    /// <summary>Reads the Adult CSV into rows, trimming the leading spaces of its values.</summary>
    /// <exception cref="RegistryException">Invalid when the file is missing, lacks a column, or has a malformed row.</exception>
    public static IReadOnlyList<AdultRow> ReadRows(string dataPath)
    {
        if (!File.Exists(dataPath))
        {
            throw RegistryException.Invalid($"training data '{dataPath}' does not exist.");
        }

        using var reader = new StreamReader(dataPath, Encoding.UTF8);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray()
            ?? throw RegistryException.Invalid($"training data '{dataPath}' is empty.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            index[header[i]] = i;
        }

        foreach (var column in FeatureColumns.Append(LabelColumn))
        {
            if (!index.ContainsKey(column))
            {
                throw RegistryException.Invalid($"training data '{dataPath}' has no column '{column}'.");
            }
        }

        var rows = new List<AdultRow>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var values = line.Split(',');
            if (values.Length != header.Length)
            {
                throw RegistryException.Invalid($"training data line {lineNumber}: expected {header.Length} values, found {values.Length}.");
            }

            string Text(string column) => values[index[column]].Trim();
            float Number(string column) => float.TryParse(Text(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw RegistryException.Invalid($"training data line {lineNumber}: '{column}' is not a number.");

            rows.Add(new AdultRow
            {
                Age = Number("age"),
                Workclass = Text("workclass"),
                Fnlwgt = Number("fnlwgt"),
                Education = Text("education"),
                EducationNum = Number("education-num"),
                MaritalStatus = Text("marital-status"),
                Occupation = Text("occupation"),
                Relationship = Text("relationship"),
                Race = Text("race"),
                Sex = Text("sex"),
                CapitalGain = Number("capital-gain"),
                CapitalLoss = Number("capital-loss"),
                HoursPerWeek = Number("hours-per-week"),
                NativeCountry = Text("native-country"),

                // The test split of the original data writes ">50K." with a dot; accept both.
                Label = Text(LabelColumn).TrimEnd('.') == ">50K",
            });
        }

        if (rows.Count < 10)
        {
            throw RegistryException.Invalid($"training data '{dataPath}' has too few rows ({rows.Count}).");
        }

        return rows;
    }

    /// <summary>The feature values of a row, in <see cref="FeatureColumns"/> order (floats and strings).</summary>
    public static IReadOnlyList<object> FeatureValues(AdultRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return
        [
            row.Age, row.Workclass, row.Fnlwgt, row.Education, row.EducationNum, row.MaritalStatus, row.Occupation,
            row.Relationship, row.Race, row.Sex, row.CapitalGain, row.CapitalLoss, row.HoursPerWeek, row.NativeCountry,
        ];
    }

    /// <summary>The deterministic 80/20 split used by training: (train, test).</summary>
    public static (IDataView Train, IDataView Test) Split(MLContext ml, IReadOnlyList<AdultRow> rows)
    {
        ArgumentNullException.ThrowIfNull(ml);
        var data = ml.Data.LoadFromEnumerable(rows);
        var split = ml.Data.TrainTestSplit(data, TestFraction, seed: Seed);
        return (split.TrainSet, split.TestSet);
    }

    private static TrainingResult Train(string dataPath, string outputDirectory, IProgress<string>? progress, int trees, CancellationToken cancellationToken)
    {
        progress?.Report($"Reading {Path.GetFileName(dataPath)}");
        var rows = ReadRows(dataPath);
        cancellationToken.ThrowIfCancellationRequested();

        var ml = new MLContext(seed: Seed);
        var (train, test) = Split(ml, rows);
        var trainCount = train.GetRowCount() ?? train.GetColumn<bool>("Label").LongCount();
        var testCount = test.GetColumn<bool>("Label").LongCount();
        progress?.Report($"Training FastTree ({trees} trees, {Leaves} leaves) on {trainCount} rows");

        // Every step here has an ONNX exporter: one-hot encoding, concatenation, min-max scaling, tree ensembles.
        var pipeline = ml.Transforms.Categorical.OneHotEncoding(CategoricalColumns.Select(c => new InputOutputColumnPair(c + "_onehot", c)).ToArray())
            .Append(ml.Transforms.Concatenate("Features", NumericColumns.Concat(CategoricalColumns.Select(c => c + "_onehot")).ToArray()))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.FastTree(
                labelColumnName: "Label", featureColumnName: "Features", numberOfLeaves: Leaves, numberOfTrees: trees,
                minimumExampleCountPerLeaf: 10, learningRate: LearningRate));
        var model = pipeline.Fit(train);
        cancellationToken.ThrowIfCancellationRequested();

        progress?.Report($"Evaluating on {testCount} held-out rows, tree by tree");
        var scoredTest = model.Transform(test);
        var metrics = ml.BinaryClassification.Evaluate(scoredTest, labelColumnName: "Label");
        var predictor = model.LastTransformer.Model;
        var (testFeatures, testLabels) = BoostingCurve.Read(scoredTest, "Features", "Label");
        var iterations = BoostingCurve.Compute(ml, predictor.SubModel.TrainedTreeEnsemble, predictor.Calibrator, testFeatures, testLabels);
        cancellationToken.ThrowIfCancellationRequested();

        // The saved and exported model takes the features only: the label is not an input at serving time.
        // (DropColumns would still leave Label as an ONNX graph input, so the view is built without it.)
        var testRows = ml.Data.CreateEnumerable<AdultRow>(test, reuseRowObject: false).ToList();
        var featureDefinition = SchemaDefinition.Create(typeof(AdultRow));
        featureDefinition.Remove(featureDefinition.Single(c => c.ColumnName == "Label"));
        var features = ml.Data.LoadFromEnumerable(testRows, featureDefinition);
        Directory.CreateDirectory(outputDirectory);
        var mlnetPath = Path.Combine(outputDirectory, "model.zip");
        var onnxPath = Path.Combine(outputDirectory, "model.onnx");
        progress?.Report("Saving the ML.NET model and exporting it to ONNX");
        ml.Model.Save(model, features.Schema, mlnetPath);
        using (var onnx = File.Create(onnxPath))
        {
            ml.Model.ConvertToOnnx(model, features, onnx, "PredictedLabel", "Score", "Probability");
        }

        // The rows the served model will be asked about, with ML.NET's own answers to compare the served ones with.
        var sampleRows = testRows.Skip(ExampleRows).Take(ServingSampleRows).ToList();
        var samplePredictions = model.Transform(ml.Data.LoadFromEnumerable(sampleRows, featureDefinition)).GetColumn<bool>("PredictedLabel").ToList();
        var sample = sampleRows.Zip(samplePredictions, (row, predicted) => (row, predicted)).ToList();

        var examplePath = Path.Combine(outputDirectory, "input_example.json");
        WriteInputExample(examplePath, testRows.Take(ExampleRows));

        // The reference for drift is what the model learnt from: the training rows' features. The drifted slice is
        // traffic from a population the training data holds few of (a new channel bringing in young applicants).
        var referencePath = Path.Combine(outputDirectory, "reference.csv");
        WriteReferenceData(referencePath, ml.Data.CreateEnumerable<AdultRow>(train, reuseRowObject: false));
        var drifted = testRows.Skip(ExampleRows + ServingSampleRows).Where(r => r.Age < DriftedSliceMaximumAge).Take(DriftedSliceRows).ToList();

        var result = new TrainingResult(
            onnxPath,
            mlnetPath,
            new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["accuracy"] = metrics.Accuracy,
                ["auc"] = metrics.AreaUnderRocCurve,
                ["f1"] = metrics.F1Score,
                ["log_loss"] = metrics.LogLoss,
            },
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["trainer"] = "FastTree",
                ["trees"] = trees.ToString(CultureInfo.InvariantCulture),
                ["leaves"] = Leaves.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = LearningRate.ToString(CultureInfo.InvariantCulture),
                ["min_leaf_rows"] = "10",
                ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
                ["test_fraction"] = TestFraction.ToString(CultureInfo.InvariantCulture),
                ["train_rows"] = trainCount.ToString(CultureInfo.InvariantCulture),
                ["test_rows"] = testCount.ToString(CultureInfo.InvariantCulture),
            },
            examplePath,
            FeatureColumns,
            iterations,
            sample)
        {
            ReferenceDataPath = referencePath,
            DriftedSlice = drifted,
        };
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"Held-out accuracy {metrics.Accuracy:0.000}, AUC {metrics.AreaUnderRocCurve:0.000}"));
        return result;
    }

    // CSV with the data file's feature header; Adult's values hold no commas or quotes.
    private static void WriteReferenceData(string path, IEnumerable<AdultRow> rows)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        writer.WriteLine(string.Join(',', FeatureColumns));
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join(',', FeatureValues(row).Select(v => v is float number ? number.ToString("R", CultureInfo.InvariantCulture) : (string)v)));
        }
    }

    private static void WriteInputExample(string path, IEnumerable<AdultRow> rows)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteStartObject("dataframe_split");
        json.WriteStartArray("columns");
        foreach (var column in FeatureColumns)
        {
            json.WriteStringValue(column);
        }

        json.WriteEndArray();
        json.WriteStartArray("data");
        foreach (var row in rows)
        {
            json.WriteStartArray();
            foreach (var value in FeatureValues(row))
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

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
