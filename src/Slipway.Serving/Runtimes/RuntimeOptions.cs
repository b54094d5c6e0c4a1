namespace Slipway.Serving.Runtimes;

/// <summary>
/// How a runtime runs a model. Defaults suit a small machine serving many requests at once: one intra-op thread per
/// inference (parallelism comes from concurrent requests) and no spinning, so idle threads do not burn the cores.
/// </summary>
public sealed record RuntimeOptions
{
    /// <summary>Threads one inference may use inside an operator. Default 1.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Threads for running independent graph branches in parallel. Default 1.</summary>
    public int InterOpThreads { get; init; } = 1;

    /// <summary>Whether ONNX Runtime's worker threads spin while waiting for work. Default false.</summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Prediction engines kept for ML.NET models (per version). Default: the processor count.</summary>
    public int EnginePoolSize { get; init; } = Environment.ProcessorCount;

    /// <summary>Use CUDA for ONNX models when ONNX Runtime's GPU build and a device are present. Default false.</summary>
    public bool UseGpu { get; init; }
}
