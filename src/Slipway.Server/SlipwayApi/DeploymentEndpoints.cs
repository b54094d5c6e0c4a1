using System.Globalization;
using System.Text.Json;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Mlflow;
using Slipway.Server.Http;

namespace Slipway.Server.SlipwayApi;

/// <summary>
/// Slipway's deployment API under <c>/api/slipway/</c>: gate policies, promotions, rollbacks and traffic splits. Bodies
/// and answers are the JSON forms of <see cref="DeploymentJson"/>; errors are MLflow's error bodies naming the field.
/// </summary>
internal sealed class DeploymentEndpoints(IDeploymentService deployments)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(MlflowPaths.Policies, GetPolicyAsync);
        routes.MapPost(MlflowPaths.Policies, SetPolicyAsync);
        routes.MapGet(MlflowPaths.PolicyHistory, PolicyHistoryAsync);
        routes.MapPost(MlflowPaths.Promotions, PromoteAsync);
        routes.MapGet(MlflowPaths.Promotions, PromotionsAsync);
        routes.MapPost(MlflowPaths.Rollbacks, RollbackAsync);
        routes.MapGet(MlflowPaths.Deployments, DeploymentAsync);
        routes.MapPost(MlflowPaths.DeploymentConclusions, ConcludeAsync);
    }

    private async Task GetPolicyAsync(HttpContext context)
    {
        var revision = JsonBody.QueryOptionalInt(context, "revision");
        var policy = await deployments.GetPolicyAsync(RequiredQuery(context, "name"), RequiredQuery(context, "alias"), revision, context.RequestAborted);
        await WriteAsync(context, json => WriteProperty(json, "policy", policy));
    }

    private async Task SetPolicyAsync(HttpContext context)
    {
        using var body = await ReadBodyAsync(context);
        var root = body.RootElement;
        var policy = await deployments.SetPolicyAsync(
            RequiredText(root, "name"), RequiredText(root, "alias"), RequiredText(root, "document"), context.RequestAborted);
        await WriteAsync(context, json => WriteProperty(json, "policy", policy));
    }

    private async Task PolicyHistoryAsync(HttpContext context)
    {
        var policies = await deployments.GetPolicyHistoryAsync(RequiredQuery(context, "name"), JsonBody.Query(context, "alias"), context.RequestAborted);
        await WriteAsync(context, json =>
        {
            json.WriteStartArray("policies");
            foreach (var policy in policies)
            {
                DeploymentJson.WritePolicyRevision(json, policy);
            }

            json.WriteEndArray();
        });
    }

    private async Task PromoteAsync(HttpContext context)
    {
        using var body = await ReadBodyAsync(context);
        var root = body.RootElement;
        var request = new PromotionRequest(
            RequiredText(root, "name"),
            RequiredLong(root, "version"),
            RequiredText(root, "alias"),
            OptionalText(root, "reason") ?? string.Empty,
            ParseMode(OptionalText(root, "mode")),
            OptionalDouble(root, "share"),
            OptionalText(root, "sticky_key"),
            OptionalBool(root, "dry_run") ?? false);
        var record = await deployments.PromoteAsync(request, context.RequestAborted);
        await WriteAsync(context, json => WriteProperty(json, "promotion", record));
    }

    private async Task PromotionsAsync(HttpContext context)
    {
        var records = await deployments.GetPromotionsAsync(
            RequiredQuery(context, "name"), JsonBody.Query(context, "alias"), JsonBody.QueryInt(context, "max_results", 100), context.RequestAborted);
        await WriteAsync(context, json =>
        {
            json.WriteStartArray("promotions");
            foreach (var record in records)
            {
                DeploymentJson.WritePromotion(json, record);
            }

            json.WriteEndArray();
        });
    }

    private async Task RollbackAsync(HttpContext context)
    {
        using var body = await ReadBodyAsync(context);
        var root = body.RootElement;
        var request = new RollbackRequest(
            RequiredText(root, "name"),
            RequiredText(root, "alias"),
            OptionalLong(root, "to_version"),
            OptionalBool(root, "force") ?? false,
            OptionalText(root, "reason") ?? string.Empty);
        var record = await deployments.RollbackAsync(request, context.RequestAborted);
        await WriteAsync(context, json => WriteProperty(json, "promotion", record));
    }

    private async Task DeploymentAsync(HttpContext context)
    {
        var state = await deployments.GetDeploymentAsync(RequiredQuery(context, "name"), RequiredQuery(context, "alias"), context.RequestAborted);
        await WriteAsync(context, json =>
        {
            json.WritePropertyName("deployment");
            if (state is null)
            {
                json.WriteNullValue();
            }
            else
            {
                DeploymentJson.WriteDeployment(json, state);
            }
        });
    }

    private async Task ConcludeAsync(HttpContext context)
    {
        using var body = await ReadBodyAsync(context);
        var root = body.RootElement;
        var conclusion = new SplitConclusion(
            RequiredText(root, "name"),
            RequiredText(root, "alias"),
            RequiredLong(root, "promotion_id"),
            OptionalBool(root, "promote") ?? throw Missing("promote"),
            OptionalText(root, "reason") ?? string.Empty);
        var record = await deployments.ConcludeSplitAsync(conclusion, context.RequestAborted);
        await WriteAsync(context, json => WriteProperty(json, "promotion", record));
    }

    private static PromotionMode ParseMode(string? mode) => mode switch
    {
        null or "" or "direct" => PromotionMode.Direct,
        "canary" => PromotionMode.Canary,
        "shadow" => PromotionMode.Shadow,
        _ => throw RegistryException.Invalid($"Invalid value '{mode}' for parameter 'mode': expected direct, canary or shadow."),
    };

    private static async Task<JsonDocument> ReadBodyAsync(HttpContext context)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw RegistryException.Invalid("Malformed JSON request body: expected a JSON object.");
            }

            return document;
        }
        catch (JsonException)
        {
            throw RegistryException.Invalid("Malformed JSON request body: expected a JSON object.");
        }
    }

    private static string RequiredQuery(HttpContext context, string name) =>
        JsonBody.Query(context, name) is { Length: > 0 } value ? value : throw Missing(name);

    private static string RequiredText(JsonElement root, string name) =>
        OptionalText(root, name) is { Length: > 0 } value ? value : throw Missing(name);

    private static string? OptionalText(JsonElement root, string name) =>
        Property(root, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            _ => throw WrongType(name, "a string"),
        };

    private static long RequiredLong(JsonElement root, string name) => OptionalLong(root, name) ?? throw Missing(name);

    // Versions may come as numbers or as strings (MLflow writes 64-bit integers as strings).
    private static long? OptionalLong(JsonElement root, string name) =>
        Property(root, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
            { ValueKind: JsonValueKind.String } value when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            _ => throw WrongType(name, "an integer"),
        };

    private static double? OptionalDouble(JsonElement root, string name) =>
        Property(root, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
            _ => throw WrongType(name, "a number"),
        };

    private static bool? OptionalBool(JsonElement root, string name) =>
        Property(root, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw WrongType(name, "true or false"),
        };

    private static JsonElement? Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static RegistryException Missing(string name) =>
        RegistryException.Invalid($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    private static RegistryException WrongType(string name, string expected) =>
        RegistryException.Invalid($"Invalid value for parameter '{name}': expected {expected}.");

    private static void WriteProperty(Utf8JsonWriter json, string name, GatePolicyRevision policy)
    {
        json.WritePropertyName(name);
        DeploymentJson.WritePolicyRevision(json, policy);
    }

    private static void WriteProperty(Utf8JsonWriter json, string name, PromotionRecord record)
    {
        json.WritePropertyName(name);
        DeploymentJson.WritePromotion(json, record);
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        write(json);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
