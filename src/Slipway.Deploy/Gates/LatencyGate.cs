using System.Globalization;
using Slipway.Core.Deployment;
using Slipway.Deploy.Contracts;
using Slipway.Serving;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;

namespace Slipway.Deploy.Gates;

/// <summary>
/// The latency gate: after a warm-up, times <see cref="LatencyGateOptions.Runs"/> single-row inferences (logged rows,
/// else the input example's rows, cycled) directly on the runtime, and holds the nearest-rank p99 against the budget.
/// Only model time is measured: no HTTP, no queueing, no batching.
/// </summary>
internal static class LatencyGate
{
    public const string Gate = "latency";

    /// <summary>Untimed runs first, so one-time costs (lazy allocation, first-call JIT) do not count.</summary>
    private const int WarmUpRuns = 20;

    public static GateResult Run(LatencyGateOptions options, IModelRuntime runtime, LoggedInputs? logged, TimeProvider time)
    {
        var name = $"p99 <= {Ms(options.P99Milliseconds)} ms";
        var (requests, source) = Requests(runtime, logged, options.Runs);
        if (requests.Count == 0)
        {
            return new GateResult(Gate, name, GateOutcome.Skipped, "nothing to time: no logged rows the model takes and no input example");
        }

        var elapsed = new double[options.Runs];
        for (var i = 0; i < WarmUpRuns + options.Runs; i++)
        {
            var request = requests[i % requests.Count];
            var started = time.GetTimestamp();
            if (ReplayGate.Score(runtime, request) is { } error)
            {
                return new GateResult(Gate, name, GateOutcome.Failed, $"a timed inference failed: {error}");
            }

            if (i >= WarmUpRuns)
            {
                elapsed[i - WarmUpRuns] = time.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        Array.Sort(elapsed);
        var p99 = elapsed[(int)Math.Ceiling(0.99 * elapsed.Length) - 1];
        var median = elapsed[(int)Math.Ceiling(0.5 * elapsed.Length) - 1];
        var passed = p99 <= options.P99Milliseconds;
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"p99 {Ms(p99)} ms {(passed ? "<=" : ">")} {Ms(options.P99Milliseconds)} ms over {options.Runs} runs (median {Ms(median)} ms; {source})");
        return new GateResult(Gate, name, passed ? GateOutcome.Passed : GateOutcome.Failed, detail);
    }

    private static string Ms(double value) =>
        value >= 1 ? value.ToString("0.##", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);

    private static (List<InferenceRequest> Requests, string Source) Requests(IModelRuntime runtime, LoggedInputs? logged, int limit)
    {
        var requests = new List<InferenceRequest>();
        if (logged is not null && LoggedRequests.HasValues(logged))
        {
            for (var r = 0; r < logged.Rows.Count && requests.Count < limit; r++)
            {
                try
                {
                    requests.Add(LoggedRequests.Bind(logged, runtime.Contract, r, 1));
                }
                catch (ScoringException)
                {
                    // A row the model cannot take is the replay gate's finding; time the others.
                }
            }

            if (requests.Count > 0)
            {
                return (requests, string.Create(CultureInfo.InvariantCulture, $"{requests.Count} distinct logged rows"));
            }
        }

        InferenceRequest? example;
        try
        {
            example = InputExamples.Bind(runtime.Contract);
        }
        catch (ScoringException)
        {
            example = null;
        }

        if (example is null)
        {
            return (requests, string.Empty);
        }

        if (!runtime.Contract.IsBatchable || example.Rows <= 1)
        {
            requests.Add(example);
        }
        else
        {
            for (var r = 0; r < example.Rows && requests.Count < limit; r++)
            {
                requests.Add(Row(example, r));
            }
        }

        return (requests, string.Create(CultureInfo.InvariantCulture, $"{requests.Count} rows of the input example"));
    }

    /// <summary>Row <paramref name="row"/> of a batch request as a one-row request.</summary>
    private static InferenceRequest Row(InferenceRequest request, long row)
    {
        var inputs = new Tensor[request.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var tensor = request.Inputs[i];
            var width = (int)(tensor.ElementCount / Math.Max(1, tensor.Rows));
            var data = Array.CreateInstance(tensor.Data.GetType().GetElementType()!, width);
            Array.Copy(tensor.Data, row * width, data, 0, width);
            long[] shape = [1, .. tensor.Shape.Skip(1)];
            inputs[i] = new Tensor(tensor.Name, tensor.Type, shape, data);
        }

        return new InferenceRequest(inputs, 1, request.Outputs);
    }
}
