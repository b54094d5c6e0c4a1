using System.Text.Json;
using Slipway.Monitoring.Reports;

namespace Slipway.Monitoring.Tests.Reports;

public sealed class DriftReportJsonTests
{
    [Fact]
    public void Writes_the_documented_snake_case_shape_with_non_finite_numbers_as_null()
    {
        var context = new DriftReportContext
        {
            Model = "adult",
            Version = 3,
            ReferenceSource = "train.csv",
            CurrentSource = "today.parquet",
            GeneratedAt = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)),
        };

        using var document = JsonDocument.Parse(DriftReportJson.ToJson(SampleReports.TwoFeatures(), context));
        var root = document.RootElement;
        Assert.Equal(
            ["model", "version", "reference", "current", "generated_at", "dataset_drift", "drifted_features", "feature_count", "share", "drift_share", "features"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("adult", root.GetProperty("model").GetString());
        Assert.Equal(3, root.GetProperty("version").GetInt64());
        Assert.Equal("train.csv", root.GetProperty("reference").GetProperty("source").GetString());
        Assert.Equal(100, root.GetProperty("reference").GetProperty("rows").GetInt64());
        Assert.Equal("today.parquet", root.GetProperty("current").GetProperty("source").GetString());
        Assert.Equal(80, root.GetProperty("current").GetProperty("rows").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("current").GetProperty("window").ValueKind);
        Assert.Equal("2024-05-01T10:00:00+00:00", root.GetProperty("generated_at").GetString());
        Assert.True(root.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(1, root.GetProperty("drifted_features").GetInt32());
        Assert.Equal(2, root.GetProperty("feature_count").GetInt32());
        Assert.Equal(0.5, root.GetProperty("share").GetDouble());
        Assert.Equal(0.5, root.GetProperty("drift_share").GetDouble());

        var features = root.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(2, features.Length);
        var age = features[0];
        Assert.Equal(
            ["feature", "kind", "method", "score", "threshold", "score_kind", "drifted", "reference_count", "current_count", "histogram"],
            age.EnumerateObject().Select(p => p.Name));
        Assert.Equal("age", age.GetProperty("feature").GetString());
        Assert.Equal("numeric", age.GetProperty("kind").GetString());
        Assert.Equal("ks", age.GetProperty("method").GetString());
        Assert.Equal(1e-12, age.GetProperty("score").GetDouble());
        Assert.Equal("p_value", age.GetProperty("score_kind").GetString());
        Assert.True(age.GetProperty("drifted").GetBoolean());
        Assert.Equal(100, age.GetProperty("reference_count").GetInt64());
        Assert.Equal(80, age.GetProperty("current_count").GetInt64());
        Assert.Equal(["[0, 10)", "[10, 20)"], age.GetProperty("histogram").GetProperty("bins").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal([0.25, 0.75], age.GetProperty("histogram").GetProperty("reference").EnumerateArray().Select(b => b.GetDouble()));
        Assert.Equal([0.9, 0.1], age.GetProperty("histogram").GetProperty("current").EnumerateArray().Select(b => b.GetDouble()));

        var hostile = features[1];
        Assert.Equal(SampleReports.HostileName, hostile.GetProperty("feature").GetString());
        Assert.Equal("categorical", hostile.GetProperty("kind").GetString());
        Assert.Equal("jensenshannon", hostile.GetProperty("method").GetString());
        Assert.Equal("distance", hostile.GetProperty("score_kind").GetString());
        Assert.Equal(JsonValueKind.Null, hostile.GetProperty("score").ValueKind);
        Assert.All(hostile.GetProperty("histogram").GetProperty("current").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
    }

    [Fact]
    public void Without_a_context_the_context_members_are_null()
    {
        using var document = JsonDocument.Parse(DriftReportJson.ToJson(SampleReports.TwoFeatures(), null));
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("model").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("version").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("generated_at").ValueKind);
        Assert.Equal(100, root.GetProperty("reference").GetProperty("rows").GetInt64());
    }
}
