using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Tests.Hosting;

/// <summary>
/// The real runtime behind a gate the test opens and closes: while closed, each run signals that it entered and
/// waits, so a test can hold a model busy deterministically. Also records disposal and any run after it.
/// </summary>
public sealed class GatedRuntime(IModelRuntime inner, RunGate gate) : IModelRuntime
{
    private int disposed;

    public ModelContract Contract => inner.Contract;

    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    public IReadOnlyList<Tensor> Run(InferenceRequest request)
    {
        gate.Pass();
        if (IsDisposed)
        {
            gate.RunsAfterDispose++;
        }

        return inner.Run(request);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            inner.Dispose();
        }
        else
        {
            gate.DoubleDisposals++;
        }
    }
}

/// <summary>Holds runs while closed; open by default.</summary>
public sealed class RunGate
{
    private readonly ManualResetEventSlim open = new(true);
    private readonly SemaphoreSlim entered = new(0);

    public int RunsAfterDispose { get; set; }

    public int DoubleDisposals { get; set; }

    public List<GatedRuntime> Loaded { get; } = [];

    public void Close() => open.Reset();

    public void Open() => open.Set();

    /// <summary>Waits until a run is held at the closed gate.</summary>
    public Task WaitForRunAsync() => entered.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => Assert.True(t.Result, "no run reached the gate"), TaskScheduler.Default);

    public void Pass()
    {
        if (!open.IsSet)
        {
            entered.Release();
            open.Wait();
        }
    }

    /// <summary>A loader that wraps every runtime the host loads.</summary>
    public Slipway.Serving.Hosting.ModelLoader Loader => (directory, name, version, options) =>
    {
        var runtime = new GatedRuntime(ModelRuntimes.Load(directory, name, version, options), this);
        lock (Loaded)
        {
            Loaded.Add(runtime);
        }

        return runtime;
    };
}
