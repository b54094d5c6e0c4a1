using Slipway.Serving.Runtimes;

namespace Slipway.Serving.Hosting;

/// <summary>
/// A live or retiring model version: its runtime and batcher, reference-counted. The host holds one reference while
/// the version is live, each lease one more; the runtime is disposed when the last reference goes, so requests that
/// started on a version finish on it after a swap.
/// </summary>
internal sealed class LoadedVersion(IModelRuntime runtime, MicroBatcher batcher)
{
    private int references = 1;

    public IModelRuntime Runtime { get; } = runtime;

    public ModelContract Contract { get; } = runtime.Contract;

    public MicroBatcher Batcher { get; } = batcher;

    /// <summary>Adds a reference unless the version is already released (then the caller reads the new live one).</summary>
    public bool TryAddReference()
    {
        var current = Volatile.Read(ref references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Drops a reference; the last one disposes the runtime.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            Runtime.Dispose();
            Batcher.Dispose();
        }
    }
}
