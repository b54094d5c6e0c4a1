using Microsoft.Extensions.Time.Testing;
using Parquet.Meta;
using Slipway.Monitoring.Inference;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Inference;

public sealed class InferenceLogTests
{
    [Fact]
    public async Task Records_are_written_as_typed_parquet_one_row_per_request_row()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock });

        Assert.True(monitor.TryRecord(MonitorFixtures.IrisRecord("req-1", MonitorFixtures.Start, rows: 2, seed: 1)));
        Assert.True(monitor.TryRecord(MonitorFixtures.IrisRecord("req-2", MonitorFixtures.Start.AddSeconds(1), rows: 1, seed: 2, alias: null)));
        await monitor.FlushAsync();

        var files = MonitorFixtures.Files(dir.Path, MonitoringPaths.Inferences);
        Assert.Equal(["model=iris/date=2026-11-26/10-v1-0001.parquet"], files);
        var (schema, columns, reader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Inferences, files[0]));
        await using (reader)
        {
            Assert.Equal(
                ["request_id", "timestamp", "model", "version", "alias", "protocol", "latency_seconds", "row",
                 "sepal_length", "sepal_width", "petal_length", "petal_width", "label", "probabilities_0", "probabilities_1", "probabilities_2"],
                schema.GetDataFields().Select(f => f.Name));
            Assert.Equal(new object?[] { "req-1", "req-1", "req-2" }, columns["request_id"]);
            Assert.Equal(new object?[] { "champion", "champion", null }, columns["alias"]);
            Assert.Equal(new object?[] { 0, 1, 0 }, columns["row"]);
            Assert.Equal(new object?[] { 0.5f, 0.75f, 1.0f }, columns["sepal_length"]);
            Assert.Equal(new object?[] { 1L, 2L, 2L }, columns["label"]);
            Assert.Equal(new object?[] { 0.25f, 0.75f, 0.75f }, columns["probabilities_2"]);
            Assert.Equal(new object?[] { 0.002, 0.002, 0.003 }, columns["latency_seconds"]);
            var stamps = columns["timestamp"].Cast<DateTime>().ToArray();
            Assert.Equal(MonitorFixtures.Start.UtcDateTime, stamps[0]);
            Assert.Equal(MonitorFixtures.Start.AddSeconds(1).UtcDateTime, stamps[2]);

            // Standard readers need the physical and logical types: timestamp is INT64 with TIMESTAMP(MICROS, UTC).
            var elements = reader.Metadata!.Schema;
            var timestamp = elements.Single(e => e.Name == "timestamp");
            Assert.Equal(Parquet.Meta.Type.INT64, timestamp.Type);
            Assert.NotNull(timestamp.LogicalType?.TIMESTAMP);
            Assert.True(timestamp.LogicalType!.TIMESTAMP!.IsAdjustedToUTC);
            Assert.NotNull(timestamp.LogicalType.TIMESTAMP.Unit.MICROS);
            Assert.Equal(Parquet.Meta.Type.FLOAT, elements.Single(e => e.Name == "sepal_length").Type);
            Assert.Equal(FieldRepetitionType.OPTIONAL, elements.Single(e => e.Name == "sepal_length").RepetitionType);
            Assert.Equal(Parquet.Meta.Type.INT64, elements.Single(e => e.Name == "label").Type);
            var requestId = elements.Single(e => e.Name == "request_id");
            Assert.Equal(Parquet.Meta.Type.BYTE_ARRAY, requestId.Type);
            Assert.NotNull(requestId.LogicalType?.STRING);
            Assert.Equal(FieldRepetitionType.REQUIRED, requestId.RepetitionType);
        }

        Assert.Equal(2, monitor.Recorded);
        Assert.Equal(3, monitor.RowsLogged);
        Assert.Equal(1, monitor.FilesWritten);
    }
}
