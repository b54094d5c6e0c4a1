namespace Slipway.Serving.Hosting;

/// <summary>A snapshot of one served model, as <c>/api/slipway/serving/models</c> shows it.</summary>
/// <param name="Name">The served model name.</param>
/// <param name="Uri">The model URI it follows.</param>
/// <param name="LiveVersion">The version answering requests, or null before the first load.</param>
/// <param name="Ready">Whether a version is live and the host is not stopping.</param>
/// <param name="LastSwap">When the live version went live, or null.</param>
/// <param name="Swaps">How many versions went live (the first load included).</param>
/// <param name="LastFailure">The most recent rejected version, or null.</param>
/// <param name="Failures">How many versions were rejected.</param>
/// <param name="Batching">The model's batch counters.</param>
public sealed record ServedModelStatus(
    string Name,
    string Uri,
    string? LiveVersion,
    bool Ready,
    DateTimeOffset? LastSwap,
    long Swaps,
    VersionFailure? LastFailure,
    long Failures,
    BatchStatistics Batching);

/// <summary>A version that never went live.</summary>
/// <param name="Version">The registry version.</param>
/// <param name="Message">Why (download, load or validation failure).</param>
/// <param name="At">When it was rejected.</param>
public sealed record VersionFailure(string Version, string Message, DateTimeOffset At);

/// <summary>How a model's requests were run, since the host started.</summary>
/// <param name="Runs">Runtime calls (one per request alone, one per merged batch).</param>
/// <param name="Requests">Requests scored.</param>
/// <param name="Rows">Rows scored.</param>
/// <param name="MergedRuns">Runs that held more than one request.</param>
/// <param name="LargestRunRequests">Most requests merged into one run.</param>
/// <param name="Queued">Requests waiting for a free run now.</param>
/// <param name="Rejected">Requests refused with 429 because the queue was full.</param>
public sealed record BatchStatistics(long Runs, long Requests, long Rows, long MergedRuns, long LargestRunRequests, long Queued, long Rejected);
