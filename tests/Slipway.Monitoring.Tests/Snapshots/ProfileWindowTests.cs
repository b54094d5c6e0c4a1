using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;
using Slipway.Monitoring.Inference;
using Slipway.Monitoring.InferenceLog;
using Slipway.Monitoring.Snapshots;
using Slipway.Monitoring.Tests.Inference;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Snapshots;

public sealed class ProfileWindowTests
{
    private static readonly DateTimeOffset Hour10 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Hourly_snapshots_read_back_equal_to_the_live_profiles()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Hour10.AddMinutes(5));
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock, ReferenceProfiles = new Reference() });
        monitor.TryRecord(MonitorFixtures.IrisRecord("a", Hour10.AddMinutes(5), rows: 5, seed: 1));
        monitor.TryRecord(MonitorFixtures.MixedRecord("m", Hour10.AddMinutes(6), [1.5, double.NaN, 3], [7, -3, 7], ["Paris", null, "Oslo"], [true, false, true], [0.25, 2.5, 1]));
        await monitor.FlushAsync();
        var live = monitor.GetWindowProfile("iris", TimeSpan.FromHours(1));
        var liveMixed = monitor.GetWindowProfile("mixed", TimeSpan.FromHours(1));

        var snapshot = await ProfileSnapshotReader.ReadAsync(dir.Combine(MonitoringPaths.Profiles, "model=iris", "date=2026-11-26", "10-v1.parquet"));
        var mixed = await ProfileSnapshotReader.ReadAsync(dir.Combine(MonitoringPaths.Profiles, "model=mixed", "date=2026-11-26", "10-v1.parquet"));

        Assert.True(snapshot.IsPartial);
        Assert.False(snapshot.IsDaily);
        Assert.Equal(("iris", "1"), (snapshot.Model, snapshot.Version));
        AssertSame(live!, snapshot.Profile);
        AssertSame(liveMixed!, mixed.Profile);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width", "label", "probabilities_0", "probabilities_1", "probabilities_2"], snapshot.Profile.Features.Select(f => f.Name));
        // Histogram edges come from the reference; a feature without a reference has none.
        Assert.Equal(Reference.Edges, snapshot.Profile.Find("sepal_length")!.Numeric!.BinEdges);
        Assert.Empty(snapshot.Profile.Find("petal_width")!.Numeric!.BinEdges);
        var city = mixed.Profile.Find("city")!;
        Assert.Equal(FeatureKind.Categorical, city.Kind);
        Assert.Equal(1, city.Missing);
        Assert.Equal(1, city.Categorical!.CountOf("Paris"));
        Assert.Equal(2, mixed.Profile.Find("flag")!.Categorical!.CountOf("true"));
        Assert.Equal(1, mixed.Profile.Find("x")!.Missing);
        Assert.Equal(2.25, mixed.Profile.Find("x")!.Numeric!.Mean, 12);
    }

    [Fact]
    public async Task Closed_hours_are_final_and_a_closed_day_gets_its_daily_snapshot()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Hour10);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock });
        monitor.TryRecord(MonitorFixtures.IrisRecord("a", Hour10.AddMinutes(1), rows: 4, seed: 1));
        monitor.TryRecord(MonitorFixtures.IrisRecord("b", Hour10.AddHours(13).AddMinutes(1), rows: 2, seed: 2));
        monitor.TryRecord(MonitorFixtures.IrisRecord("c", Hour10.AddHours(14).AddMinutes(1), rows: 1, seed: 3));
        await monitor.FlushAsync();

        var ten = await ProfileSnapshotReader.ReadAsync(dir.Combine(MonitoringPaths.Profiles, "model=iris", "date=2026-11-26", "10-v1.parquet"));
        Assert.False(ten.IsPartial);
        Assert.Equal(4, ten.Profile.Rows);
        var day = await ProfileSnapshotReader.ReadAsync(dir.Combine(MonitoringPaths.Profiles, "model=iris", "date=2026-11-26", "day-v1.parquet"));
        Assert.True(day.IsDaily);
        Assert.Equal(6, day.Profile.Rows);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), day.Profile.Start);
        Assert.Equal(6, day.Profile.Find("sepal_length")!.Count);
        Assert.True(File.Exists(dir.Combine(MonitoringPaths.Profiles, "model=iris", "date=2026-11-27", "00-v1.parquet")));
    }

    [Fact]
    public async Task Windows_merge_hours_and_survive_a_restart()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Hour10.AddHours(1).AddMinutes(30));
        await using (var first = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock }))
        {
            first.TryRecord(MonitorFixtures.IrisRecord("a", Hour10.AddMinutes(10), rows: 5, seed: 1));
            first.TryRecord(MonitorFixtures.IrisRecord("b", Hour10.AddMinutes(70), rows: 3, seed: 2));
            await first.FlushAsync();
            Assert.Equal(8, first.GetWindowProfile("iris", TimeSpan.FromDays(1))!.Rows);
            Assert.Equal(3, first.GetWindowProfile("iris", TimeSpan.FromHours(1))!.Rows);
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        await using var second = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock });
        second.TryRecord(MonitorFixtures.IrisRecord("c", Hour10.AddMinutes(100), rows: 2, seed: 3));
        await second.FlushAsync();

        var day = second.GetWindowProfile("iris", TimeSpan.FromDays(1))!;
        Assert.Equal(10, day.Rows);
        Assert.Equal(10, day.Find("petal_length")!.Count);
        Assert.Equal(5, second.GetWindowProfile("iris", TimeSpan.FromHours(1))!.Rows);
        Assert.Equal(10, second.GetWindowProfile("iris", TimeSpan.FromDays(7))!.Rows);
        // The hour that straddled the restart was rewritten with both parts.
        var eleven = await ProfileSnapshotReader.ReadAsync(dir.Combine(MonitoringPaths.Profiles, "model=iris", "date=2026-11-26", "11-v1.parquet"));
        Assert.Equal(5, eleven.Profile.Rows);
        Assert.Null(second.GetWindowProfile("unknown", TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task Window_drift_compares_with_the_reference_and_is_null_without_one()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Hour10);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock, ReferenceProfiles = new Reference() });
        for (var i = 0; i < 20; i++)
        {
            // Seeds 40+ put sepal_length near 20-30, far above the reference's 0-10.
            monitor.TryRecord(MonitorFixtures.IrisRecord("r" + i, Hour10.AddSeconds(i), rows: 10, seed: 40 + i));
        }

        await monitor.FlushAsync();
        var report = await monitor.GetDriftAsync("iris", TimeSpan.FromHours(1), DriftOptions.Default);

        Assert.NotNull(report);
        var sepal = Assert.Single(report.Features, f => f.Feature == "sepal_length");
        Assert.True(sepal.Drifted);
        Assert.Equal(200, report.CurrentRows);
        Assert.True(monitor.HasReference("iris", "1"));

        await using var without = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Combine("other"), TimeProvider = clock });
        without.TryRecord(MonitorFixtures.IrisRecord("x", Hour10, rows: 3));
        await without.FlushAsync();
        Assert.Null(await without.GetDriftAsync("iris", TimeSpan.FromHours(1), DriftOptions.Default));
        Assert.Equal("1", Assert.Single(without.GetModels()).Version);
    }

    [Fact]
    public async Task The_log_reader_returns_the_logged_inputs_in_a_time_range()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Hour10);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock });
        monitor.TryRecord(MonitorFixtures.IrisRecord("a", Hour10.AddMinutes(1), rows: 2, seed: 1));
        monitor.TryRecord(MonitorFixtures.IrisRecord("b", Hour10.AddMinutes(90), rows: 1, seed: 2));
        monitor.TryRecord(MonitorFixtures.MixedRecord("m", Hour10, [1.5, double.NaN], [7, -3], ["Paris", null], [true, false], [0.25, 2.5]));
        await monitor.FlushAsync();

        var all = await InferenceLogReader.ReadAsync(dir.Path, "iris", Hour10, Hour10.AddDays(1));
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], all.Select(c => c.Name));
        Assert.Equal(new[] { 0.5, 0.75, 1.0 }, all[0].Numbers!);
        var first = await InferenceLogReader.ReadAsync(dir.Path, "iris", Hour10, Hour10.AddHours(1), includeOutputs: true);
        Assert.Equal(new[] { 0.5, 0.75 }, first[0].Numbers!);
        Assert.Contains(first, c => c.Name == "label");

        var mixed = await InferenceLogReader.ReadAsync(dir.Path, "mixed", Hour10, Hour10.AddHours(1));
        Assert.Equal(FeatureKind.Categorical, mixed.Single(c => c.Name == "city").Kind);
        Assert.Equal(new object?[] { "Paris", null }, mixed.Single(c => c.Name == "city").Categories!);
        Assert.Equal(new object?[] { "true", "false" }, mixed.Single(c => c.Name == "flag").Categories!);
        Assert.True(double.IsNaN(mixed.Single(c => c.Name == "x").Numbers![1]));
        Assert.Empty(await InferenceLogReader.ReadAsync(dir.Path, "iris", Hour10.AddDays(2), Hour10.AddDays(3)));
    }

    private static void AssertSame(DatasetProfile expected, DatasetProfile actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Start, actual.Start);
        Assert.Equal(expected.End, actual.End);
        Assert.Equal(expected.Features.Select(f => f.Name), actual.Features.Select(f => f.Name));
        for (var i = 0; i < expected.Features.Count; i++)
        {
            var a = expected.Features[i];
            var b = actual.Features[i];
            Assert.Equal(a.Kind, b.Kind);
            Assert.Equal(a.Count, b.Count);
            Assert.Equal(a.Missing, b.Missing);
            if (a.Numeric is { } n)
            {
                var m = b.Numeric!;
                Assert.Equal(n.Mean, m.Mean);
                Assert.Equal(n.Variance, m.Variance);
                Assert.Equal(n.Min, m.Min);
                Assert.Equal(n.Max, m.Max);
                Assert.Equal(n.BinEdges, m.BinEdges);
                Assert.Equal(n.BinCounts, m.BinCounts);
                Assert.Equal((n.Below, n.Above), (m.Below, m.Above));
                Assert.Equal(n.SketchValues, m.SketchValues);
                Assert.Equal(n.SketchWeights, m.SketchWeights);
            }
            else
            {
                Assert.Equal(a.Categorical!.Categories, b.Categorical!.Categories);
                Assert.Equal(a.Categorical.Counts, b.Categorical.Counts);
                Assert.Equal(a.Categorical.Other, b.Categorical.Other);
            }
        }
    }

    /// <summary>A reference for iris: sepal_length and sepal_width uniform on 0-10 (other features absent).</summary>
    private sealed class Reference : IReferenceProfileSource
    {
        public static readonly IReadOnlyList<double> Edges = Build().Find("sepal_length")!.Numeric!.BinEdges;

        public Task<DatasetProfile?> GetAsync(string model, string version, CancellationToken cancellationToken) =>
            Task.FromResult(model == "iris" ? Build() : null);

        private static DatasetProfile Build()
        {
            var values = Enumerable.Range(0, 200).Select(i => i / 20.0).ToArray();
            return ReferenceProfile.Build([DriftColumn.Numeric("sepal_length", values), DriftColumn.Numeric("sepal_width", values)]);
        }
    }
}
