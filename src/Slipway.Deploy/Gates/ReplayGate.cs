using System.Globalization;
using Slipway.Core.Deployment;
using Slipway.Deploy.Contracts;
using Slipway.Serving;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;

namespace Slipway.Deploy.Gates;

/// <summary>
/// The replay gate: the candidate scores its input example and a sample of recently logged rows without error, and a
/// batchable model answers one output row per input row. Results are named <c>input example</c> and
/// <c>logged requests</c>.
/// </summary>
internal static class ReplayGate
{
    public const string Gate = "replay";

    public const string ExampleName = "input example";

    public const string LoggedName = "logged requests";

    public static void Run(ReplayGateOptions options, IModelRuntime runtime, LoggedInputs? logged, string loggedNote, List<GateResult> results)
    {
        if (options.InputExample)
        {
            results.Add(RunExample(runtime));
        }

        if (options.LoggedRequests > 0)
        {
            results.Add(RunLogged(options.LoggedRequests, runtime, logged, loggedNote));
        }
    }

    /// <summary>Scores a request; null when it answered well, else the error.</summary>
    public static string? Score(IModelRuntime runtime, InferenceRequest request)
    {
        try
        {
            var outputs = runtime.Run(request);
            if (runtime.Contract.IsBatchable)
            {
                foreach (var output in outputs)
                {
                    if (output.Rows != request.Rows)
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"output '{output.Name}' has {output.Rows} rows for {request.Rows} input rows");
                    }
                }
            }

            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e.Message;
        }
    }

    private static GateResult RunExample(IModelRuntime runtime)
    {
        InferenceRequest? example;
        try
        {
            example = InputExamples.Bind(runtime.Contract);
        }
        catch (ScoringException e)
        {
            return new GateResult(Gate, ExampleName, GateOutcome.Failed, $"the input example does not fit the signature: {e.Message}");
        }

        if (example is null)
        {
            return new GateResult(Gate, ExampleName, GateOutcome.Skipped, "the version has no input example");
        }

        var error = Score(runtime, example);
        return error is null
            ? new GateResult(Gate, ExampleName, GateOutcome.Passed, string.Create(CultureInfo.InvariantCulture, $"scored the input example ({example.Rows} rows)"))
            : new GateResult(Gate, ExampleName, GateOutcome.Failed, $"scoring the input example failed: {error}");
    }

    private static GateResult RunLogged(int limit, IModelRuntime runtime, LoggedInputs? logged, string loggedNote)
    {
        if (logged is null || logged.Rows.Count == 0)
        {
            return new GateResult(Gate, LoggedName, GateOutcome.Skipped, loggedNote.Length > 0 ? loggedNote : "no logged requests to replay");
        }

        if (!LoggedRequests.HasValues(logged))
        {
            return new GateResult(Gate, LoggedName, GateOutcome.Skipped, "the inputs are too large to be logged as values (only their shapes are), so they cannot be replayed");
        }

        var rows = Math.Min(limit, logged.Rows.Count);

        // One batch first: when it scores, every row did. Otherwise row by row, to count the failures.
        var batchError = ScoreRows(runtime, logged, 0, rows);
        if (batchError is null)
        {
            return new GateResult(Gate, LoggedName, GateOutcome.Passed, string.Create(CultureInfo.InvariantCulture, $"replayed {rows} logged rows without error"));
        }

        var failed = 0;
        string? first = null;
        for (var r = 0; r < rows; r++)
        {
            if (ScoreRows(runtime, logged, r, 1) is { } error)
            {
                failed++;
                first ??= error;
            }
        }

        // Rows that score alone but not together (e.g. an output with the wrong row count) still fail the gate.
        return new GateResult(
            Gate,
            LoggedName,
            GateOutcome.Failed,
            failed == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{rows} logged rows score one by one but not as one batch: {batchError}")
                : string.Create(CultureInfo.InvariantCulture, $"{failed} of {rows} logged rows failed; first error: {first}"));
    }

    private static string? ScoreRows(IModelRuntime runtime, LoggedInputs logged, int start, int count)
    {
        InferenceRequest request;
        try
        {
            request = LoggedRequests.Bind(logged, runtime.Contract, start, count);
        }
        catch (ScoringException e)
        {
            return e.Message;
        }

        return Score(runtime, request);
    }
}
