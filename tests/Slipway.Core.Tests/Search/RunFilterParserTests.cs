using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tests.Search;

public sealed class RunFilterParserTests
{
    private static FilterClause Single(string filter) => Assert.Single(SearchFilterParser.ParseRunFilter(filter));

    private static void AssertClause(FilterClause clause, FilterKeyKind kind, string key, FilterOperator op, params string[] values)
    {
        Assert.Equal(kind, clause.Kind);
        Assert.Equal(key, clause.Key);
        Assert.Equal(op, clause.Operator);
        Assert.Equal(values, clause.Values);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_GivesNoClauses(string? filter) => Assert.Empty(SearchFilterParser.ParseRunFilter(filter));

    [Theory]
    [InlineData("metrics.acc = 0.9", FilterOperator.Equal)]
    [InlineData("metrics.acc != 0.9", FilterOperator.NotEqual)]
    [InlineData("metrics.acc < 0.9", FilterOperator.LessThan)]
    [InlineData("metrics.acc <= 0.9", FilterOperator.LessThanOrEqual)]
    [InlineData("metrics.acc > 0.9", FilterOperator.GreaterThan)]
    [InlineData("metrics.acc >= 0.9", FilterOperator.GreaterThanOrEqual)]
    [InlineData("metric.acc>=0.9", FilterOperator.GreaterThanOrEqual)]
    public void Metrics_AllComparisons(string filter, FilterOperator op) =>
        AssertClause(Single(filter), FilterKeyKind.Metric, "acc", op, "0.9");

    [Theory]
    [InlineData("metrics.loss < -1.5e-3", "-1.5e-3")]
    [InlineData("metrics.loss < 10", "10")]
    [InlineData("metrics.loss < +2.5", "+2.5")]
    [InlineData("metrics.loss < 1E6", "1E6")]
    public void Metrics_NumberForms(string filter, string value) =>
        AssertClause(Single(filter), FilterKeyKind.Metric, "loss", FilterOperator.LessThan, value);

    [Theory]
    [InlineData("metrics.acc LIKE '0.9'", "LIKE")]
    [InlineData("metrics.acc ILIKE '0.9'", "ILIKE")]
    [InlineData("metrics.acc IN ('0.9')", "IN")]
    [InlineData("metrics.acc NOT IN ('0.9')", "NOT IN")]
    public void Metrics_StringOperators_Rejected(string filter, string op) =>
        AssertInvalid(filter, $"operator {op} is not supported for metrics");

    [Theory]
    [InlineData("metrics.acc > '0.9'")]
    [InlineData("metrics.acc > \"0.9\"")]
    public void Metrics_QuotedValue_Rejected(string filter) => AssertInvalid(filter, "expected a number for metric 'acc'");

    [Theory]
    [InlineData("params.lr = '0.1'", FilterKeyKind.Param, FilterOperator.Equal)]
    [InlineData("params.lr != '0.1'", FilterKeyKind.Param, FilterOperator.NotEqual)]
    [InlineData("params.lr LIKE '0.1'", FilterKeyKind.Param, FilterOperator.Like)]
    [InlineData("params.lr ILIKE '0.1'", FilterKeyKind.Param, FilterOperator.ILike)]
    [InlineData("param.lr = \"0.1\"", FilterKeyKind.Param, FilterOperator.Equal)]
    [InlineData("parameters.lr = '0.1'", FilterKeyKind.Param, FilterOperator.Equal)]
    [InlineData("tags.lr = '0.1'", FilterKeyKind.Tag, FilterOperator.Equal)]
    [InlineData("tags.lr != '0.1'", FilterKeyKind.Tag, FilterOperator.NotEqual)]
    [InlineData("tags.lr LIKE '0.1'", FilterKeyKind.Tag, FilterOperator.Like)]
    [InlineData("tag.lr ilike '0.1'", FilterKeyKind.Tag, FilterOperator.ILike)]
    public void ParamsAndTags_StringOperators(string filter, FilterKeyKind kind, FilterOperator op) =>
        AssertClause(Single(filter), kind, "lr", op, "0.1");

    [Theory]
    [InlineData("params.lr < '0.1'", "operator < is not supported for params")]
    [InlineData("params.lr >= '0.1'", "operator >= is not supported for params")]
    [InlineData("params.lr IN ('0.1')", "operator IN is not supported for params")]
    [InlineData("tags.lr > '0.1'", "operator > is not supported for tags")]
    [InlineData("tags.lr NOT IN ('0.1')", "operator NOT IN is not supported for tags")]
    [InlineData("params.lr = 0.1", "expected a quoted string value for 'lr'")]
    [InlineData("tags.lr = 1", "expected a quoted string value for 'lr'")]
    public void ParamsAndTags_BadOperatorsAndValues(string filter, string problem) => AssertInvalid(filter, problem);

    [Theory]
    [InlineData("metrics.`my metric` > 1", FilterKeyKind.Metric, "my metric")]
    [InlineData("metrics.\"my metric\" > 1", FilterKeyKind.Metric, "my metric")]
    [InlineData("metrics.val.loss > 1", FilterKeyKind.Metric, "val.loss")]
    [InlineData("params.`batch size` = '3'", FilterKeyKind.Param, "batch size")]
    [InlineData("tags.mlflow.runName = 'x'", FilterKeyKind.Tag, "mlflow.runName")]
    [InlineData("tags.`mlflow.source.git.commit` = 'x'", FilterKeyKind.Tag, "mlflow.source.git.commit")]
    public void QuotedAndDottedKeys(string filter, FilterKeyKind kind, string key)
    {
        var clause = Single(filter);

        Assert.Equal(kind, clause.Kind);
        Assert.Equal(key, clause.Key);
    }

    [Theory]
    [InlineData("attributes.run_name = 'a'", "run_name", FilterOperator.Equal)]
    [InlineData("attribute.status != 'FAILED'", "status", FilterOperator.NotEqual)]
    [InlineData("attr.user_id LIKE 'al%'", "user_id", FilterOperator.Like)]
    [InlineData("run.artifact_uri ILIKE '%x%'", "artifact_uri", FilterOperator.ILike)]
    [InlineData("run_id = 'abc'", "run_id", FilterOperator.Equal)]
    [InlineData("attributes.`run name` = 'a'", "run_name", FilterOperator.Equal)]
    public void StringAttributes(string filter, string key, FilterOperator op)
    {
        var clause = Single(filter);

        Assert.Equal((FilterKeyKind.Attribute, key, op), (clause.Kind, clause.Key, clause.Operator));
    }

    [Theory]
    [InlineData("attributes.start_time = 5", "start_time", FilterOperator.Equal)]
    [InlineData("attributes.start_time != 5", "start_time", FilterOperator.NotEqual)]
    [InlineData("attributes.end_time < 5", "end_time", FilterOperator.LessThan)]
    [InlineData("attributes.end_time <= 5", "end_time", FilterOperator.LessThanOrEqual)]
    [InlineData("start_time > 5", "start_time", FilterOperator.GreaterThan)]
    [InlineData("attributes.created >= 5", "start_time", FilterOperator.GreaterThanOrEqual)]
    [InlineData("attributes.Created >= 5", "start_time", FilterOperator.GreaterThanOrEqual)]
    public void NumericAttributes(string filter, string key, FilterOperator op) =>
        AssertClause(Single(filter), FilterKeyKind.Attribute, key, op, "5");

    [Theory]
    [InlineData("attributes.start_time LIKE '5'", "not supported for numeric attribute 'start_time'")]
    [InlineData("attributes.end_time IN ('5')", "not supported for numeric attribute 'end_time'")]
    [InlineData("attributes.start_time = '5'", "'start_time' expects an integer")]
    [InlineData("attributes.start_time = 1.5", "'start_time' expects an integer")]
    [InlineData("attributes.status > 'A'", "not supported for string attribute 'status'")]
    [InlineData("attributes.status = 3", "expected a quoted string value for 'status'")]
    [InlineData("attributes.run_name IN ('a')", "only 'run_id' can be compared with a list")]
    [InlineData("attributes.lifecycle_stage = 'active'", "unknown attribute 'lifecycle_stage'")]
    [InlineData("attributes.experiment_id = '1'", "unknown attribute 'experiment_id'")]
    public void Attributes_BadInput(string filter, string problem) => AssertInvalid(filter, problem);

    [Fact]
    public void RunId_InAndNotIn()
    {
        var clauses = SearchFilterParser.ParseRunFilter("attributes.run_id IN ('a', 'b') AND run_id NOT IN (\"c\")");

        AssertClause(clauses[0], FilterKeyKind.Attribute, "run_id", FilterOperator.In, "a", "b");
        AssertClause(clauses[1], FilterKeyKind.Attribute, "run_id", FilterOperator.NotIn, "c");
    }

    [Theory]
    [InlineData("datasets.name = 'iris'", "name", FilterOperator.Equal)]
    [InlineData("datasets.digest != 'iris'", "digest", FilterOperator.NotEqual)]
    [InlineData("dataset.context LIKE 'iris'", "context", FilterOperator.Like)]
    [InlineData("datasets.name ILIKE 'iris'", "name", FilterOperator.ILike)]
    [InlineData("datasets.name IN ('iris')", "name", FilterOperator.In)]
    [InlineData("datasets.context NOT IN ('iris')", "context", FilterOperator.NotIn)]
    public void Datasets(string filter, string key, FilterOperator op) =>
        AssertClause(Single(filter), FilterKeyKind.Dataset, key, op, "iris");

    [Theory]
    [InlineData("datasets.name > 'a'", "operator > is not supported for datasets")]
    [InlineData("datasets.source = 'a'", "unknown dataset field 'source'")]
    [InlineData("datasets.name = 4", "expected a quoted string value for 'name'")]
    public void Datasets_BadInput(string filter, string problem) => AssertInvalid(filter, problem);

    [Fact]
    public void Conjunction_MixesKinds()
    {
        var clauses = SearchFilterParser.ParseRunFilter(
            "metrics.rmse < 1 and params.model = 'tree' AND tags.team = 'fraud' AND attributes.status = 'FINISHED' AND datasets.name = 'adult'");

        Assert.Equal(
            [FilterKeyKind.Metric, FilterKeyKind.Param, FilterKeyKind.Tag, FilterKeyKind.Attribute, FilterKeyKind.Dataset],
            clauses.Select(c => c.Kind));
    }

    [Theory]
    [InlineData("foo.bar = 'x'", "unknown key type 'foo' (expected 'metrics', 'params', 'tags', 'attributes' or 'datasets')")]
    [InlineData("metrics.acc > 1 OR metrics.acc < 0", "expected AND or the end after a clause, got 'OR metrics.acc < 0'")]
    [InlineData("metrics.acc", "expected an operator, got the end")]
    [InlineData("metrics.acc >", "expected a value, got the end")]
    [InlineData("metrics. > 1", "expected a key after 'metrics.'")]
    [InlineData("tags.`unterminated = 'x'", "unterminated `-quoted string")]
    public void Syntax_Errors(string filter, string problem) => AssertInvalid(filter, problem);

    [Fact]
    public void Errors_NamePosition()
    {
        var e = Assert.Throws<RegistryException>(() => SearchFilterParser.ParseRunFilter("metrics.acc > 1 AND params.lr < '1'"));

        Assert.Equal("Invalid filter 'metrics.acc > 1 AND params.lr < '1'': operator < is not supported for params (use =, !=, LIKE or ILIKE) (at character 31).", e.Message);
    }

    [Fact]
    public void RegistryGrammar_StillRejectsRunKinds()
    {
        var e = Assert.Throws<RegistryException>(() => SearchFilterParser.Parse("metrics.acc > 1", new HashSet<string> { "name" }));

        Assert.Contains("unknown key type 'metrics'", e.Message, StringComparison.Ordinal);
    }

    private static void AssertInvalid(string filter, string problem)
    {
        var e = Assert.Throws<RegistryException>(() => SearchFilterParser.ParseRunFilter(filter));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.StartsWith($"Invalid filter '{filter}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("(at character ", e.Message, StringComparison.Ordinal);
    }
}
