using Slipway.Core.Registry;
using Slipway.Serving.Runtimes;

namespace Slipway.Serving.Hosting;

/// <summary>
/// One model a <see cref="ModelHost"/> serves: where it comes from and how its requests are batched and bounded.
/// </summary>
public sealed record ServedModelOptions
{
    /// <summary>Default <see cref="MaxBatchRows"/>: 64 rows.</summary>
    public const int DefaultMaxBatchRows = 64;

    /// <summary>Default <see cref="QueueLimit"/>: 256 waiting requests.</summary>
    public const int DefaultQueueLimit = 256;

    /// <summary>Creates the options for <paramref name="uri"/> with every other setting at its default.</summary>
    public ServedModelOptions(ModelUri uri)
    {
        Uri = uri ?? throw new ArgumentNullException(nameof(uri));
    }

    /// <summary>
    /// The model: <c>models:/NAME/VERSION</c> (that version, loaded once) or <c>models:/NAME@ALIAS</c> (followed:
    /// when the alias moves, the new version is loaded, validated and swapped in). The model is served under NAME.
    /// </summary>
    public ModelUri Uri { get; init; }

    /// <summary>
    /// Whether requests that queue while the model is busy are merged row-wise into one run. Only models whose
    /// contract is batchable (<see cref="ModelContract.IsBatchable"/>) are ever merged. Default true.
    /// </summary>
    public bool Batching { get; init; } = true;

    /// <summary>Most rows (not requests) in one merged run; a single larger request still runs, alone. Default 64.</summary>
    public int MaxBatchRows { get; init; } = DefaultMaxBatchRows;

    /// <summary>
    /// How long a run that could take more rows may wait for further requests while other runs of the model are
    /// busy. Default zero: a free worker takes whatever queued while the model was busy and runs it at once, which
    /// never leaves a core idle; a positive value trades throughput for fuller batches (useful when per-run cost
    /// dominates per-row cost).
    /// </summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Runs of this model at the same time (each one request, or one merged batch). Default: the processor count,
    /// so that all cores stay busy whether batching is on or off.
    /// </summary>
    public int MaxConcurrentRuns { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Requests that may wait for a free run; the next one is rejected with 429 (<see cref="ScoringException.Overloaded"/>).
    /// Default 256.
    /// </summary>
    public int QueueLimit { get; init; } = DefaultQueueLimit;

    /// <summary>Whether the server's monitoring (inference log, profiles, feedback) records this model's requests when monitoring is on. Default true.</summary>
    public bool Monitored { get; init; } = true;

    /// <summary>How the runtime runs the model (threads, spinning, engine pool). Default <see cref="RuntimeOptions"/>' defaults.</summary>
    public RuntimeOptions Runtime { get; init; } = new();

    /// <summary>Checks the numeric settings; throws <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchRows, 1, nameof(MaxBatchRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRuns, 1, nameof(MaxConcurrentRuns));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueLimit, 0, nameof(QueueLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchDelay, TimeSpan.Zero, nameof(MaxBatchDelay));
    }
}
