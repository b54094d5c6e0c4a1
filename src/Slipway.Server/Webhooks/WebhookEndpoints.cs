using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;
using Slipway.Deploy.Webhooks;
using Slipway.Server.Http;

namespace Slipway.Server.Webhooks;

/// <summary>
/// MLflow's webhook API (mlflow/protos/webhooks.proto, MLflow 3.3+), under <c>/api/2.0/mlflow/</c> and
/// <c>/ajax-api/2.0/mlflow/</c>: <c>POST webhooks</c> (create), <c>GET webhooks?max_results=&amp;page_token=</c>
/// (list, default 100 per page), <c>GET|PATCH|DELETE webhooks/{webhook_id}</c>, and <c>POST webhooks/{webhook_id}/test</c>
/// which sends one example payload synchronously and answers MLflow's <c>WebhookTestResult</c>. Beside it, Slipway's
/// <c>GET /api/slipway/webhooks/{webhook_id}/deliveries</c> shows the durable deliveries with every attempt.
/// </summary>
internal sealed class WebhookEndpoints(IWebhookStore store, WebhookSender sender, TimeProvider time)
{
    /// <summary>Largest page of <c>GET webhooks</c>.</summary>
    public const int MaxListResults = 1000;

    /// <summary>Maps the MLflow endpoints on a group rooted at an MLflow API prefix (<c>/api/2.0/mlflow</c>).</summary>
    public void MapMlflow(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhooks", CreateAsync);
        routes.MapGet("/webhooks", ListAsync);
        routes.MapGet("/webhooks/{webhook_id}", GetAsync);
        routes.MapPatch("/webhooks/{webhook_id}", UpdateAsync);
        routes.MapDelete("/webhooks/{webhook_id}", DeleteAsync);
        routes.MapPost("/webhooks/{webhook_id}/test", TestAsync);
    }

    /// <summary>Maps the delivery history on the group of Slipway's API (<c>/api/slipway</c>).</summary>
    public void MapSlipway(IEndpointRouteBuilder routes) => routes.MapGet("/webhooks/{webhook_id}/deliveries", DeliveriesAsync);

    private static string Id(HttpContext context) => context.Request.RouteValues["webhook_id"] as string ?? string.Empty;

    private static RegistryException NotFound(string id) => RegistryException.NotFound($"Webhook with ID {id} not found.");

    private static Task WriteWebhookAsync(HttpContext context, Webhook webhook) =>
        WebhookJson.WriteAsync(context, json =>
        {
            json.WritePropertyName("webhook");
            WebhookJson.WriteWebhook(json, webhook);
        });

    private async Task CreateAsync(HttpContext context)
    {
        var request = await WebhookRequest.ReadAsync(context);
        RegistryValidation.Required(request.Name, "name");
        RegistryValidation.Required(request.Url, "url");
        if (request.Events is not { Count: > 0 } events)
        {
            throw RegistryException.Invalid("Missing value for required parameter 'events': a webhook subscribes to at least one event.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var webhook = new Webhook(
            Guid.NewGuid().ToString("N"),
            request.Name!,
            string.IsNullOrEmpty(request.Description) ? null : request.Description,
            request.Url!,
            events,
            request.Status ?? WebhookStatus.Active,
            string.IsNullOrEmpty(request.Secret) ? null : request.Secret,
            now,
            now);
        await store.CreateWebhookAsync(webhook, context.RequestAborted);
        await WriteWebhookAsync(context, webhook);
    }

    private async Task ListAsync(HttpContext context)
    {
        var maxResults = RegistryValidation.MaxResults(JsonBody.QueryInt(context, "max_results", 100), MaxListResults);
        var page = await store.ListWebhooksAsync(maxResults, JsonBody.Query(context, "page_token"), context.RequestAborted);
        await WebhookJson.WriteAsync(context, json =>
        {
            if (page.Items.Count > 0)
            {
                json.WriteStartArray("webhooks");
                foreach (var webhook in page.Items)
                {
                    WebhookJson.WriteWebhook(json, webhook);
                }

                json.WriteEndArray();
            }

            if (page.NextPageToken is { } token)
            {
                json.WriteString("next_page_token", token);
            }
        });
    }

    private async Task GetAsync(HttpContext context)
    {
        var id = Id(context);
        var webhook = await store.GetWebhookAsync(id, context.RequestAborted) ?? throw NotFound(id);
        await WriteWebhookAsync(context, webhook);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var id = Id(context);
        var request = await WebhookRequest.ReadAsync(context);

        // MLflow: an empty string or an empty event list leaves the field unchanged.
        var update = new WebhookUpdate(
            string.IsNullOrEmpty(request.Name) ? null : request.Name,
            string.IsNullOrEmpty(request.Description) ? null : request.Description,
            string.IsNullOrEmpty(request.Url) ? null : request.Url,
            request.Events is { Count: > 0 } events ? events : null,
            string.IsNullOrEmpty(request.Secret) ? null : request.Secret,
            request.Status);
        var webhook = await store.UpdateWebhookAsync(id, update, time.GetUtcNow().ToUnixTimeMilliseconds(), context.RequestAborted) ?? throw NotFound(id);
        await WriteWebhookAsync(context, webhook);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var id = Id(context);
        if (!await store.DeleteWebhookAsync(id, context.RequestAborted))
        {
            throw NotFound(id);
        }

        await Responses.EmptyAsync(context);
    }

    private async Task TestAsync(HttpContext context)
    {
        var id = Id(context);
        var requested = await WebhookRequest.ReadTestEventAsync(context);
        var webhook = await store.GetWebhookAsync(id, context.RequestAborted) ?? throw NotFound(id);
        if (requested is { } asked && !webhook.Events.Contains(asked))
        {
            throw RegistryException.Invalid($"Invalid value for parameter 'event': webhook {id} is not subscribed to {asked}.");
        }

        var webhookEvent = requested ?? webhook.Events[0];
        var result = await sender.SendAsync(
            webhook.Url, webhook.Secret, Guid.NewGuid().ToString(), webhookEvent.ToString(), RegistryEvents.Example(webhookEvent), context.RequestAborted);
        await WebhookJson.WriteAsync(context, json => WebhookJson.WriteTestResult(json, result));
    }

    private async Task DeliveriesAsync(HttpContext context)
    {
        var id = Id(context);
        var maxResults = RegistryValidation.MaxResults(JsonBody.QueryInt(context, "max_results", 100), MaxListResults);
        _ = await store.GetWebhookAsync(id, context.RequestAborted) ?? throw NotFound(id);
        var deliveries = await store.ListDeliveriesAsync(id, maxResults, context.RequestAborted);
        var attempts = new IReadOnlyList<WebhookAttempt>[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            attempts[i] = await store.ListAttemptsAsync(deliveries[i].Id, context.RequestAborted);
        }

        await WebhookJson.WriteAsync(context, json =>
        {
            json.WriteStartArray("deliveries");
            for (var i = 0; i < deliveries.Count; i++)
            {
                WebhookJson.WriteDelivery(json, deliveries[i], attempts[i]);
            }

            json.WriteEndArray();
        });
    }
}
