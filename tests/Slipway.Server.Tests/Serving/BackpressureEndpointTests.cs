using System.Net;
using System.Text.Json;
using Slipway.Core.Registry;
using Slipway.Serving;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;

namespace Slipway.Server.Tests.Serving;

public sealed class BackpressureEndpointTests
{
    private const string Request = """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [5.1, 3.5, 1.4, 0.2]}]}""";

    [Fact]
    public async Task A_busy_model_with_a_full_queue_answers_429_with_retry_after_and_stopping_drains_then_refuses_503()
    {
        await using var node = await ServingNode.OpenAsync();
        var version = await node.RegisterAsync("iris", ServingNode.Model("iris_logreg.onnx"));
        using var gate = new ManualResetEventSlim(true);
        using var entered = new SemaphoreSlim(0);
        await node.StartAsync(
            options => options.Loader = (directory, name, v, runtimeOptions) => new BlockingRuntime(ModelRuntimes.Load(directory, name, v, runtimeOptions), gate, entered),
            new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")) { MaxConcurrentRuns = 1, QueueLimit = 1 });
        var model = node.Host.Find("iris")!;

        gate.Reset();
        var running = node.PostAsync("/v2/models/iris/infer", Request);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(30)));
        var waiting = node.PostAsync("/models/iris/invocations", """{"inputs": [[5.1, 3.5, 1.4, 0.2]]}""");
        while (model.GetStatus().Batching.Queued < 1)
        {
            await Task.Delay(5);
        }

        using var v2Refused = await node.PostAsync("/v2/models/iris/infer", Request);
        Assert.Equal(HttpStatusCode.TooManyRequests, v2Refused.StatusCode);
        Assert.Equal("1", v2Refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("iris", JsonDocument.Parse(await v2Refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);

        using var mlflowRefused = await node.PostAsync("/models/iris/invocations", """{"inputs": [[5.1, 3.5, 1.4, 0.2]]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, mlflowRefused.StatusCode);
        Assert.Equal("RESOURCE_EXHAUSTED", JsonDocument.Parse(await mlflowRefused.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetString());

        // Stop while two requests are in flight: new ones get 503, the two finish.
        var stopping = node.Host.StopAsync(CancellationToken.None);
        using var refused = await node.PostAsync("/v2/models/iris/infer", Request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Http.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Http.GetAsync("/health")).StatusCode);
        Assert.False(stopping.IsCompleted);

        gate.Set();
        using var first = await running;
        using var second = await waiting;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await stopping;
    }

    private sealed class BlockingRuntime(IModelRuntime inner, ManualResetEventSlim gate, SemaphoreSlim entered) : IModelRuntime
    {
        public ModelContract Contract => inner.Contract;

        public IReadOnlyList<Tensor> Run(InferenceRequest request)
        {
            if (!gate.IsSet)
            {
                entered.Release();
                gate.Wait();
            }

            return inner.Run(request);
        }

        public void Dispose() => inner.Dispose();
    }
}
