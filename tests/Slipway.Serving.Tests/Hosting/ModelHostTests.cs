using Slipway.Core.Registry;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;
using Slipway.Serving.Tests.Runtimes;

namespace Slipway.Serving.Tests.Hosting;

public sealed class ModelHostTests : IAsyncLifetime
{
    private static readonly ExpectedOutputs Iris = ExpectedOutputs.Read(EmbeddedModels.Model("iris_logreg.expected.json"));
    private EmbeddedModels models = null!;

    public async Task InitializeAsync() => models = await EmbeddedModels.OpenAsync();

    public async Task DisposeAsync() => await models.DisposeAsync();

    private ModelHost NewHost(RunGate? gate, params ServedModelOptions[] served)
    {
        var options = new ModelHostOptions { CacheDirectory = models.CacheDirectory, PollInterval = TimeSpan.FromMilliseconds(10) };
        if (gate is not null)
        {
            options.Loader = gate.Loader;
        }

        foreach (var model in served)
        {
            options.Models.Add(model);
        }

        return new ModelHost(models.Registry, options);
    }

    private static InferenceRequest IrisRows(int first, int count)
    {
        var values = Iris.Input.Skip(first).Take(count).SelectMany(r => r.Select(v => (float)v)).ToArray();
        return new InferenceRequest([new Tensor("input", TensorType.Float32, [count, 4], values)], count);
    }

    private static long[] Labels(InferenceResult result) => result.Outputs.Single(o => o.Name == "label").As<long>();

    private static long[] ExpectedLabels(int first, int count) => Iris.Label!.Skip(first).Take(count).ToArray();

    [Fact]
    public async Task Serves_the_registered_iris_model_and_is_ready_only_once_loaded()
    {
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        await models.SetAliasAsync("iris", "champion", version);
        await using var host = NewHost(null, new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));

        Assert.False(host.IsReady);
        var before = Assert.Throws<ScoringException>(() => host.Find("iris")!.Acquire());
        Assert.Equal(503, before.StatusCode);

        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);

        Assert.True(host.IsReady);
        var result = await host.Find("iris")!.ScoreAsync(IrisRows(0, Iris.Rows), CancellationToken.None);
        Assert.Equal(Iris.Label, Labels(result));
        Assert.Equal("1", result.Contract.Version);
        var status = host.Find("iris")!.GetStatus();
        Assert.Equal("1", status.LiveVersion);
        Assert.Equal(1, status.Swaps);
        Assert.Null(status.LastFailure);
        Assert.Null(host.Find("other"));
    }

    [Fact]
    public async Task Not_ready_until_every_configured_model_is_loaded()
    {
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        await models.SetAliasAsync("iris", "champion", version);
        var forest = await models.RegisterAsync("forest", EmbeddedModels.Model("iris_random_forest.onnx"));
        await using var host = NewHost(
            null,
            new ServedModelOptions(ModelUri.Parse("models:/iris@champion")),
            new ServedModelOptions(ModelUri.Parse("models:/forest@champion")));
        await host.StartAsync(CancellationToken.None);

        await Wait.UntilAsync(() => host.Find("iris")!.IsLoaded, "iris is loaded");
        Assert.False(host.IsReady);
        Assert.NotNull(host.Find("forest")!.GetStatus().LastFailure);

        // The missing alias appears: the next poll loads it.
        await models.SetAliasAsync("forest", "champion", forest);
        await host.WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(host.IsReady);
    }

    [Fact]
    public async Task Alias_moves_100_times_under_load_without_a_failed_request()
    {
        var gate = new RunGate();
        var v1 = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        var v2 = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_random_forest.onnx"));
        await models.SetAliasAsync("iris", "champion", v1);
        var host = NewHost(gate, new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var answered = new HashSet<string>();
        var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            long count = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var first = (int)((worker * 7 + count++) % (Iris.Rows - 3));
                    var result = await model.ScoreAsync(IrisRows(first, 3), CancellationToken.None);
                    Assert.Equal(3, Labels(result).Length);
                    lock (answered)
                    {
                        answered.Add(result.Contract.Version);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }

            return count;
        })).ToArray();

        for (var move = 0; move < 100; move++)
        {
            var target = move % 2 == 0 ? v2 : v1;
            await models.SetAliasAsync("iris", "champion", target);
            await Wait.UntilAsync(() => model.Contract?.Version == EmbeddedModels.Text(target), $"version {target} is live (move {move})");
        }

        await stop.CancelAsync();
        var requests = (await Task.WhenAll(load)).Sum();
        await host.DisposeAsync();

        Assert.Equal(0, failures);
        Assert.True(requests > 100, $"only {requests} requests were sent");
        Assert.Equal(["1", "2"], answered.Order(StringComparer.Ordinal));
        Assert.Equal(101, model.GetStatus().Swaps);
        Assert.Equal(0, model.GetStatus().Failures);

        // Every runtime was disposed once, after its last run.
        Assert.Equal(101, gate.Loaded.Count);
        Assert.All(gate.Loaded, r => Assert.True(r.IsDisposed));
        Assert.Equal(0, gate.RunsAfterDispose);
        Assert.Equal(0, gate.DoubleDisposals);
    }

    [Fact]
    public async Task A_version_that_cannot_load_never_goes_live_and_is_reported()
    {
        var events = new List<ModelHostEvent>();
        var v1 = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        var broken = await models.RegisterDirectoryAsync("iris", await models.BrokenPackageAsync(EmbeddedModels.Model("iris_logreg.onnx")));
        await models.SetAliasAsync("iris", "champion", v1);
        var options = new ModelHostOptions { CacheDirectory = models.CacheDirectory, PollInterval = TimeSpan.FromMilliseconds(10) };
        options.Models.Add(new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));
        options.Events = e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        };
        await using var host = new ModelHost(models.Registry, options);
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        await models.SetAliasAsync("iris", "champion", broken);
        await Wait.UntilAsync(() => model.GetStatus().Failures > 0, "the broken version is rejected");

        var status = model.GetStatus();
        Assert.Equal("1", status.LiveVersion);
        Assert.Equal("2", status.LastFailure!.Version);
        Assert.Contains("version 2 was not loaded", status.LastFailure.Message, StringComparison.Ordinal);
        Assert.Equal(1, status.Failures);
        Assert.True(host.IsReady);
        var result = await model.ScoreAsync(IrisRows(0, 2), CancellationToken.None);
        Assert.Equal("1", result.Contract.Version);
        lock (events)
        {
            Assert.Contains(events, e => e is { Live: false, Version: "2" });
            Assert.DoesNotContain(events, e => e is { Live: true, Version: "2" });
        }
    }

    [Fact]
    public async Task A_version_whose_input_example_does_not_fit_its_signature_never_goes_live()
    {
        var good = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"), """{"inputs": [[5.1, 3.5, 1.4, 0.2]]}""");
        var bad = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_random_forest.onnx"), """{"inputs": [[5.1, 3.5, 1.4]]}""");
        await models.SetAliasAsync("iris", "champion", good);
        await using var host = NewHost(null, new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        // The good version's example ran as the warm-up: one run before any request.
        Assert.Equal("1", model.GetStatus().LiveVersion);

        await models.SetAliasAsync("iris", "champion", bad);
        await Wait.UntilAsync(() => model.GetStatus().Failures > 0, "the version with a bad example is rejected");
        var status = model.GetStatus();
        Assert.Equal("1", status.LiveVersion);
        Assert.Equal("2", status.LastFailure!.Version);
        Assert.Contains("input", status.LastFailure.Message, StringComparison.Ordinal);

        // Moving the alias back to the live version needs no load; moving it again to the bad one is not retried.
        await models.SetAliasAsync("iris", "champion", good);
        var result = await model.ScoreAsync(IrisRows(0, 1), CancellationToken.None);
        Assert.Equal("1", result.Contract.Version);
    }

    [Fact]
    public async Task Requests_that_queue_while_the_model_is_busy_are_merged_and_each_gets_its_own_rows()
    {
        var gate = new RunGate();
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        await using var host = NewHost(gate, new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")) { MaxConcurrentRuns = 1 });
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        gate.Close();
        var busy = Task.Run(() => model.ScoreAsync(IrisRows(0, 1), CancellationToken.None).AsTask());
        await gate.WaitForRunAsync();
        var queued = Enumerable.Range(0, 5).Select(i => model.ScoreAsync(IrisRows(50 + (i * 20), 2), CancellationToken.None).AsTask()).ToArray();
        await Wait.UntilAsync(() => model.GetStatus().Batching.Queued == 5, "five requests queue");
        gate.Open();

        Assert.Equal(ExpectedLabels(0, 1), Labels(await busy));
        for (var i = 0; i < queued.Length; i++)
        {
            Assert.Equal(ExpectedLabels(50 + (i * 20), 2), Labels(await queued[i]));
        }

        var batching = model.GetStatus().Batching;
        Assert.Equal(2, batching.Runs);
        Assert.Equal(1, batching.MergedRuns);
        Assert.Equal(5, batching.LargestRunRequests);
        Assert.Equal(11, batching.Rows);
    }

    [Fact]
    public async Task Merged_batches_stop_at_the_row_limit_and_batching_off_runs_each_request_alone()
    {
        var gate = new RunGate();
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        var limited = new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")) { MaxConcurrentRuns = 1, MaxBatchRows = 4 };
        await using var host = NewHost(gate, limited);
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        gate.Close();
        var busy = Task.Run(() => model.ScoreAsync(IrisRows(0, 1), CancellationToken.None).AsTask());
        await gate.WaitForRunAsync();
        var queued = Enumerable.Range(0, 4).Select(i => model.ScoreAsync(IrisRows(i * 3, 3), CancellationToken.None).AsTask()).ToArray();
        await Wait.UntilAsync(() => model.GetStatus().Batching.Queued == 4, "four requests queue");
        gate.Open();
        await busy;
        await Task.WhenAll(queued);

        // 3 rows each with a 4-row limit: no two fit together.
        Assert.Equal(5, model.GetStatus().Batching.Runs);
        Assert.Equal(0, model.GetStatus().Batching.MergedRuns);
    }

    [Fact]
    public async Task With_batching_off_queued_requests_run_one_by_one()
    {
        var gate = new RunGate();
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        await using var host = NewHost(gate, new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")) { MaxConcurrentRuns = 1, Batching = false });
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        gate.Close();
        var busy = Task.Run(() => model.ScoreAsync(IrisRows(0, 1), CancellationToken.None).AsTask());
        await gate.WaitForRunAsync();
        var queued = Enumerable.Range(0, 3).Select(i => model.ScoreAsync(IrisRows(i, 1), CancellationToken.None).AsTask()).ToArray();
        await Wait.UntilAsync(() => model.GetStatus().Batching.Queued == 3, "three requests queue");
        gate.Open();
        await busy;
        await Task.WhenAll(queued);

        Assert.Equal(4, model.GetStatus().Batching.Runs);
        Assert.Equal(0, model.GetStatus().Batching.MergedRuns);
    }

    [Fact]
    public async Task A_request_on_an_idle_model_runs_alone_at_once()
    {
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        await using var host = NewHost(null, new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")));
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        // Completed synchronously: the idle path runs on the caller's thread, without queueing.
        using var lease = model.Acquire();
        var pending = lease.RunAsync(IrisRows(10, 3), CancellationToken.None);
        Assert.True(pending.IsCompleted);
        Assert.Equal(ExpectedLabels(10, 3), Labels(await pending));

        var batching = model.GetStatus().Batching;
        Assert.Equal(1, batching.Runs);
        Assert.Equal(3, batching.Rows);
        Assert.Equal(0, batching.MergedRuns);
        Assert.Equal(0, batching.Queued);
    }

    [Fact]
    public async Task A_full_queue_refuses_with_429_and_retry_after()
    {
        var gate = new RunGate();
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        await using var host = NewHost(gate, new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")) { MaxConcurrentRuns = 1, QueueLimit = 2 });
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        gate.Close();
        var busy = Task.Run(() => model.ScoreAsync(IrisRows(0, 1), CancellationToken.None).AsTask());
        await gate.WaitForRunAsync();
        var queued = Enumerable.Range(0, 2).Select(i => model.ScoreAsync(IrisRows(i, 1), CancellationToken.None).AsTask()).ToArray();
        await Wait.UntilAsync(() => model.GetStatus().Batching.Queued == 2, "two requests queue");

        Assert.True(model.IsQueueFull);
        var refused = await Assert.ThrowsAsync<ScoringException>(() => model.ScoreAsync(IrisRows(0, 1), CancellationToken.None).AsTask());
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.Equal(1, model.GetStatus().Batching.Rejected);

        gate.Open();
        await busy;
        await Task.WhenAll(queued);
        Assert.False(model.IsQueueFull);
    }

    [Fact]
    public async Task Stopping_drains_requests_in_flight_and_refuses_new_ones_with_503()
    {
        var gate = new RunGate();
        var version = await models.RegisterAsync("iris", EmbeddedModels.Model("iris_logreg.onnx"));
        var host = NewHost(gate, new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")));
        await host.StartAsync(CancellationToken.None);
        await host.WaitUntilReadyAsync(CancellationToken.None);
        var model = host.Find("iris")!;

        gate.Close();
        var inFlight = Task.Run(() => model.ScoreAsync(IrisRows(5, 2), CancellationToken.None).AsTask());
        await gate.WaitForRunAsync();
        var stopping = host.StopAsync(CancellationToken.None);

        Assert.True(host.IsStopping);
        Assert.False(host.IsReady);
        Assert.False(stopping.IsCompleted);
        var refused = Assert.Throws<ScoringException>(() => model.Acquire());
        Assert.Equal(503, refused.StatusCode);
        Assert.False(gate.Loaded[0].IsDisposed);

        gate.Open();
        Assert.Equal(ExpectedLabels(5, 2), Labels(await inFlight));
        await stopping;
        Assert.True(gate.Loaded[0].IsDisposed);
        Assert.Equal(0, gate.RunsAfterDispose);
        await host.DisposeAsync();
    }
}
