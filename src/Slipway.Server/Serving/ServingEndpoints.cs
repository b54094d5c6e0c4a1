using System.Diagnostics;
using Slipway.Serving;
using Slipway.Serving.Hosting;
using Slipway.Serving.OpenApi;
using Slipway.Serving.Protocols.Mlflow;
using Slipway.Serving.Protocols.V2;
using Slipway.Monitoring.Inference;
using Slipway.Server.Health;
using Slipway.Server.Monitoring;

namespace Slipway.Server.Serving;

/// <summary>
/// The scoring endpoints over a <see cref="ModelHost"/>: MLflow's <c>POST /invocations</c> (the only model) and
/// <c>POST /models/NAME/invocations</c>; the Open Inference Protocol V2 under <c>/v2</c>; <c>/ping</c>,
/// <c>/health</c> and <c>/version</c>; each model's OpenAPI document at <c>/models/NAME/openapi.json</c>; the serving status under <c>/api/slipway/serving/models</c>; and
/// <c>/metrics</c>. Errors are each protocol's error object with the <see cref="ScoringException"/>'s status.
/// When the served alias splits traffic, each scoring request is routed to the stable or the canary version (the
/// <see cref="VariantHeader"/> response header says which) and a share of the answered ones is mirrored to the shadow
/// after the answer was sent.
/// </summary>
internal sealed partial class ServingEndpoints(
    ModelHost host,
    ServingMetrics metrics,
    ServingMonitoring monitoring,
    ShadowMirror shadows,
    ILogger<ServingEndpoints> logger,
    ITrafficObserver? traffic = null)
{
    /// <summary>The response header naming the variant that answered: <c>stable</c> or <c>canary</c>.</summary>
    public const string VariantHeader = "X-Slipway-Variant";

    /// <summary>The name in V2 server metadata.</summary>
    public const string ServerName = "slipway";

    /// <summary>The metrics label of a request for a model this server does not serve (keeps label values bounded).</summary>
    private const string UnknownModel = "unknown";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/invocations", InvokeOnlyModelAsync);
        routes.MapPost("/models/{name}/invocations", InvokeAsync);
        routes.MapGet("/models/{name}/openapi.json", OpenApiAsync);
        routes.MapGet("/ping", HealthAsync);
        routes.MapGet("/health", HealthAsync);
        routes.MapGet("/version", static context => WriteTextAsync(context, StatusCodes.Status200OK, HealthEndpoints.ProductVersion));

        routes.MapGet("/v2", ServerMetadataAsync);
        routes.MapGet("/v2/health/live", LiveAsync);
        routes.MapGet("/v2/health/ready", ReadyAsync);
        routes.MapGet("/v2/models/{name}", ModelMetadataAsync);
        routes.MapGet("/v2/models/{name}/versions/{version}", ModelMetadataAsync);
        routes.MapGet("/v2/models/{name}/ready", ModelReadyAsync);
        routes.MapGet("/v2/models/{name}/versions/{version}/ready", ModelReadyAsync);
        routes.MapPost("/v2/models/{name}/infer", InferAsync);
        routes.MapPost("/v2/models/{name}/versions/{version}/infer", InferAsync);

        routes.MapGet("/api/slipway/serving/models", StatusAsync);
        routes.MapGet("/metrics", MetricsAsync);
    }

    private Task InvokeOnlyModelAsync(HttpContext context)
    {
        var models = host.Models;
        if (models.Count != 1)
        {
            var names = string.Join(", ", models.Select(m => m.Name));
            return ScoringResponses.SendErrorAsync(
                context,
                ScoringException.BadRequest($"this server serves {models.Count} models ({names}); POST /models/NAME/invocations to choose one."),
                v2: false);
        }

        return ScoreMlflowAsync(context, models[0]);
    }

    private Task InvokeAsync(HttpContext context)
    {
        var name = RouteValue(context, "name");
        var model = host.Find(name);
        return model is null
            ? FailAsync(context, null, ScoringException.NotFound($"model '{name}' is not served here."), v2: false, Stopwatch.GetTimestamp(), Routed.None)
            : ScoreMlflowAsync(context, model);
    }

    private async Task ScoreMlflowAsync(HttpContext context, ServedModel model)
    {
        var started = Stopwatch.GetTimestamp();
        var routed = Routed.None;
        try
        {
            // The id is known before anything can fail, so errors carry it too.
            var requestId = RequestIds.FromHeader(context.Request) ?? RequestIds.Next();
            context.Response.Headers[RequestIds.Header] = requestId;
            MlflowRequestReader.CheckContentType(context.Request.ContentType);
            using var lease = model.AcquireRouted(StickyValue(context, model));
            routed = Route(context, lease);
            if (model.IsQueueFull)
            {
                // Refused before the body is read: overload costs no memory.
                throw model.Overloaded();
            }

            using var body = await RequestBody.ReadAsync(context).ConfigureAwait(false);
            var request = MlflowRequestReader.Parse(body.Memory, context.Request.ContentType, lease.Contract).Request;
            var result = await lease.RunAsync(request, context.RequestAborted).ConfigureAwait(false);
            using var output = new PooledBufferWriter();
            MlflowResponseWriter.Write(output, result);
            await ScoringResponses.SendAsync(context, output, ScoringResponses.Json).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Answered(model, routed, ServingMetrics.Mlflow, StatusCodes.Status200OK, elapsed.TotalSeconds);
            Monitor(model, requestId, ServingMetrics.Mlflow, elapsed, request, result);

            // The caller has its answer; only now may the shadow see the request (shadows are compared with stable answers).
            if (lease.Variant == TrafficVariant.Stable && model.Split is { ShadowLive: true } split && split.DrawShadow())
            {
                shadows.Mirror(model, split, body.Memory, owned: false, context.Request.ContentType, null, v2: false, requestId, result);
            }
        }
        catch (ScoringException e)
        {
            await FailAsync(context, model, e, v2: false, started, routed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            await FailUnexpectedAsync(context, model, e, v2: false, started, routed).ConfigureAwait(false);
        }
    }

    private async Task InferAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var name = RouteValue(context, "name");
        var model = host.Find(name);
        if (model is null)
        {
            await FailAsync(context, null, ScoringException.NotFound($"model '{name}' is not served here."), v2: true, started, Routed.None).ConfigureAwait(false);
            return;
        }

        var routed = Routed.None;
        try
        {
            var requestId = RequestIds.FromHeader(context.Request);
            if (requestId is not null)
            {
                context.Response.Headers[RequestIds.Header] = requestId;
            }

            var contentType = context.Request.ContentType;
            V2RequestReader.CheckContentType(contentType);
            using var lease = context.Request.RouteValues.ContainsKey("version")
                ? model.Acquire(RouteValue(context, "version"))
                : model.AcquireRouted(StickyValue(context, model));
            routed = Route(context, lease);
            if (model.IsQueueFull)
            {
                // Refused before the body is read: overload costs no memory.
                throw model.Overloaded();
            }

            // Drawn before the body is released: a mirrored request keeps a copy of it for the shadow.
            var split = lease.Variant == TrafficVariant.Stable && model.Split is { ShadowLive: true } live && live.DrawShadow() ? live : null;
            byte[]? mirrored = null;
            string? headerLength = context.Request.Headers[V2RequestReader.InferenceHeaderContentLength];
            V2Request request;
            using (var body = await RequestBody.ReadAsync(context).ConfigureAwait(false))
            {
                request = V2RequestReader.Read(body.Span, contentType, headerLength, lease.Contract);
                if (split is not null)
                {
                    mirrored = body.Span.ToArray();
                }
            }

            if (requestId is null)
            {
                // Without the header, the V2 body's own id names the request (when it is usable as one).
                requestId = RequestIds.IsValid(request.Id) ? request.Id! : RequestIds.Next();
                context.Response.Headers[RequestIds.Header] = requestId;
            }

            var result = await lease.RunAsync(request.Request, context.RequestAborted).ConfigureAwait(false);
            using var output = new PooledBufferWriter();
            var headers = V2ResponseWriter.Write(output, result, request.Id, request.Outputs);
            if (headers.InferenceHeaderContentLength is { } jsonLength)
            {
                context.Response.Headers[V2RequestReader.InferenceHeaderContentLength] = jsonLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await ScoringResponses.SendAsync(context, output, headers.ContentType).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Answered(model, routed, ServingMetrics.V2, StatusCodes.Status200OK, elapsed.TotalSeconds);
            Monitor(model, requestId, ServingMetrics.V2, elapsed, request.Request, result);
            if (split is not null && mirrored is not null)
            {
                shadows.Mirror(model, split, mirrored, owned: true, contentType, headerLength, v2: true, requestId, result);
            }
        }
        catch (ScoringException e)
        {
            await FailAsync(context, model, e, v2: true, started, routed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            await FailUnexpectedAsync(context, model, e, v2: true, started, routed).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(HttpContext context, ServedModel? model, ScoringException error, bool v2, long started, Routed routed)
    {
        if (!context.Response.Headers.ContainsKey(RequestIds.Header))
        {
            context.Response.Headers[RequestIds.Header] = RequestIds.Next();
        }

        await ScoringResponses.SendErrorAsync(context, error, v2).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (model is null)
        {
            metrics.Record(UnknownModel, string.Empty, string.Empty, v2 ? ServingMetrics.V2 : ServingMetrics.Mlflow, error.StatusCode, seconds);
        }
        else
        {
            Answered(model, routed, v2 ? ServingMetrics.V2 : ServingMetrics.Mlflow, error.StatusCode, seconds);
        }
    }

    private Task FailUnexpectedAsync(HttpContext context, ServedModel model, Exception error, bool v2, long started, Routed routed)
    {
        LogUnexpected(logger, model.Name, context.Request.Path.Value ?? string.Empty, error);
        return FailAsync(
            context,
            model,
            new ScoringException(StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", "An internal error occurred while scoring; see the server log."),
            v2,
            started,
            routed);
    }

    /// <summary>Counts an answered request in the metrics and, when a split routed it, for the canary controller.</summary>
    private void Answered(ServedModel model, Routed routed, string protocol, int status, double seconds)
    {
        metrics.Record(model.Name, routed.Version, model.Alias, protocol, status, seconds, routed.Variant);
        if (routed.SplitId != 0)
        {
            traffic?.RequestAnswered(model, routed.SplitId, routed.Variant, status, seconds);
        }
    }

    /// <summary>What the lease routed the request to; the variant header goes on the answer (errors included).</summary>
    private static Routed Route(HttpContext context, ModelLease lease)
    {
        context.Response.Headers[VariantHeader] = lease.Variant == TrafficVariant.Canary ? ServingMetrics.Canary : ServingMetrics.Stable;
        return new Routed(lease.Contract.Version, lease.Variant, lease.SplitId);
    }

    /// <summary>The value of the split's sticky header on the request, or null (no split, not sticky, or absent).</summary>
    private static string? StickyValue(HttpContext context, ServedModel model) =>
        model.Split?.StickyKey is { } key && context.Request.Headers.TryGetValue(key, out var value) && value.Count > 0 ? value.ToString() : null;

    /// <summary>Hands an answered request to the inference monitor, when there is one.</summary>
    private void Monitor(ServedModel model, string requestId, string protocol, TimeSpan elapsed, InferenceRequest request, InferenceResult result)
    {
        // Off: one null test. On: one record (the tensors are shared, not copied) and a queue write that never blocks.
        var monitor = monitoring.Monitor;
        if (monitor is null || !model.Options.Monitored)
        {
            return;
        }

        monitor.TryRecord(new InferenceRecord(
            result.Contract,
            model.Options.Uri.Alias,
            requestId,
            protocol,
            monitoring.Time.GetUtcNow(),
            elapsed.TotalSeconds,
            request.Inputs,
            result.Outputs,
            request.Rows));
    }

    private Task HealthAsync(HttpContext context) =>
        host.IsReady
            ? WriteTextAsync(context, StatusCodes.Status200OK, "OK")
            : WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, host.IsStopping ? "stopping" : "loading models");

    private static Task ServerMetadataAsync(HttpContext context) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, output => V2MetadataWriter.WriteServerMetadata(output, ServerName, HealthEndpoints.ProductVersion));

    // Live while the process answers at all; ready only when every model is loaded. V2 signals false with a 4xx.
    private Task LiveAsync(HttpContext context) =>
        WriteJsonAsync(context, host.IsStopping ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, output => V2MetadataWriter.WriteServerLive(output, !host.IsStopping));

    private Task ReadyAsync(HttpContext context)
    {
        var ready = host.IsReady;
        return WriteJsonAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, output => V2MetadataWriter.WriteServerReady(output, ready));
    }

    private Task ModelMetadataAsync(HttpContext context)
    {
        try
        {
            var contract = LiveContract(context);
            return WriteJsonAsync(context, StatusCodes.Status200OK, output => V2MetadataWriter.WriteModelMetadata(output, contract));
        }
        catch (ScoringException e)
        {
            return ScoringResponses.SendErrorAsync(context, e, v2: true);
        }
    }

    // The document describes the live version, so it follows hot swaps; it is small and rarely fetched, so it is
    // generated per request rather than cached.
    private Task OpenApiAsync(HttpContext context)
    {
        var name = RouteValue(context, "name");
        var model = host.Find(name);
        if (model is null)
        {
            return ScoringResponses.SendErrorAsync(context, ScoringException.NotFound($"model '{name}' is not served here."), v2: false);
        }

        var contract = model.Contract;
        return contract is null
            ? ScoringResponses.SendErrorAsync(context, ScoringException.Unavailable($"model '{name}' is not loaded yet.", 1), v2: false)
            : WriteJsonAsync(context, StatusCodes.Status200OK, output => ModelOpenApiWriter.Write(output, contract));
    }

    private Task ModelReadyAsync(HttpContext context)
    {
        var name = RouteValue(context, "name");
        var model = host.Find(name);
        if (model is null)
        {
            return ScoringResponses.SendErrorAsync(context, ScoringException.NotFound($"model '{name}' is not served here."), v2: true);
        }

        var contract = model.Contract;
        var ready = contract is not null && !host.IsStopping
            && (!context.Request.RouteValues.ContainsKey("version")
                || contract.Version == RouteValue(context, "version")
                || model.Split?.CanaryVersion == RouteValue(context, "version"));
        return WriteJsonAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, output => V2MetadataWriter.WriteModelReady(output, name, ready));
    }

    private ModelContract LiveContract(HttpContext context)
    {
        var name = RouteValue(context, "name");
        var model = host.Find(name) ?? throw ScoringException.NotFound($"model '{name}' is not served here.");
        var contract = model.Contract ?? throw ScoringException.Unavailable($"model '{name}' is not loaded yet.", 1);
        if (context.Request.RouteValues.ContainsKey("version") && RouteValue(context, "version") is var version && version != contract.Version)
        {
            if (model.Split?.CanaryContract is { } canary && canary.Version == version)
            {
                return canary;
            }

            throw ScoringException.NotFound($"model '{name}' version '{version}' is not served; version {contract.Version} is.");
        }

        return contract;
    }

    private Task StatusAsync(HttpContext context) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, output => ServingStatusWriter.Write(output, host, traffic as Deploy.Canary.CanaryController));

    private async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<PooledBufferWriter> write)
    {
        using var output = new PooledBufferWriter(1024);
        write(output);
        await ScoringResponses.SendAsync(context, output, ScoringResponses.Json, status).ConfigureAwait(false);
    }

    private static Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static string RouteValue(HttpContext context, string key) =>
        context.Request.RouteValues[key] as string ?? string.Empty;

    /// <summary>The version that answered, its variant, and the split that routed it (0 when none).</summary>
    private readonly record struct Routed(string Version, TrafficVariant Variant, long SplitId)
    {
        public static Routed None => new(string.Empty, TrafficVariant.Stable, 0);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure scoring model {Model} at {Path}")]
    private static partial void LogUnexpected(ILogger logger, string model, string path, Exception exception);
}
