using System.Globalization;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Storage;

namespace Slipway.Bench;

/// <summary>
/// Fills a tracking store for the HTTP load tests: experiment <c>bench</c> with RUNS runs of METRICS metrics and PARAMS
/// params each (values drawn from a fixed seed), plus experiment <c>bench-history</c> with one run whose metric
/// <c>loss</c> has POINTS values. Prints <c>experiment_id=... history_run_id=... load_run_id=...</c> for the scripts.
/// Usage: <c>seed-runs STORE_URI ARTIFACTS RUNS METRICS PARAMS POINTS</c>.
/// </summary>
internal static class TrackingSeeder
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 6)
        {
            await Console.Error.WriteLineAsync("usage: seed-runs STORE_URI ARTIFACTS RUNS METRICS PARAMS POINTS");
            return 2;
        }

        var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
        var metrics = int.Parse(args[3], CultureInfo.InvariantCulture);
        var parameters = int.Parse(args[4], CultureInfo.InvariantCulture);
        var points = int.Parse(args[5], CultureInfo.InvariantCulture);
        var ct = CancellationToken.None;
        await using var metadata = await StorageFactory.OpenMetadataStoreAsync(args[0], TimeProvider.System, ct);
        var registry = new ModelRegistryService(metadata, metadata, StorageFactory.OpenBlobStore(args[1]), TimeProvider.System, () => "bench");
        var tracker = new TrackingService(metadata, registry, TimeProvider.System, () => "bench");

        var experiment = await tracker.CreateExperimentAsync("bench", null, null, ct);
        var random = new Random(42);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        for (var r = 0; r < runs; r++)
        {
            var run = await tracker.CreateRunAsync(experiment, null, now + r, null, ct);
            var metricBatch = new List<Metric>(metrics);
            for (var m = 0; m < metrics; m++)
            {
                metricBatch.Add(new Metric(Key("m", m), random.NextDouble(), now + r, 0));
            }

            var paramBatch = new List<Param>(parameters);
            for (var p = 0; p < parameters; p++)
            {
                paramBatch.Add(new Param(Key("p", p), random.Next(0, 100).ToString(CultureInfo.InvariantCulture)));
            }

            await tracker.LogBatchAsync(run.Info.RunId, metricBatch, paramBatch, null, ct);
        }

        var historyExperiment = await tracker.CreateExperimentAsync("bench-history", null, null, ct);
        var historyRun = await tracker.CreateRunAsync(historyExperiment, "history", null, null, ct);
        var batch = new List<Metric>(1000);
        for (var i = 0; i < points; i++)
        {
            batch.Add(new Metric("loss", 1.0 / (i + 1), now + i, i));
            if (batch.Count == 1000 || i == points - 1)
            {
                await tracker.LogBatchAsync(historyRun.Info.RunId, batch, null, null, ct);
                batch.Clear();
            }
        }

        var loadRun = await tracker.CreateRunAsync(historyExperiment, "load", null, null, ct);
        Console.WriteLine($"experiment_id={experiment} history_run_id={historyRun.Info.RunId} load_run_id={loadRun.Info.RunId}");
        return 0;
    }

    private static string Key(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);
}
