using System.Data.Common;
using System.Text.Json;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Search;

namespace Slipway.Storage.Metadata;

/// <summary>Webhooks, the fan-out of outbox events into deliveries, delivery leases and the attempt log.</summary>
public sealed partial class SqlMetadataStore : IWebhookStore
{
    private const string WebhookColumns = "id, name, description, url, events, status, secret, creation_time, last_updated_time";

    private const string DeliveryColumns =
        "d.id, d.webhook_id, d.event_id, e.event_type, e.payload, d.state, d.attempts, d.next_attempt_at, d.created_at, d.last_status_code, d.last_error";

    /// <summary>
    /// How long a gap in the outbox's ids may stay open before fan-out moves past it. PostgreSQL hands out ids when a
    /// row is inserted, not when its transaction commits, so a lower id can become visible after a higher one; fan-out
    /// waits for it this long (milliseconds) and then treats it as rolled back. SQLite never leaves such gaps.
    /// </summary>
    private const long OutboxGapGraceMs = 10_000;

    /// <inheritdoc />
    public Task<Webhook> CreateWebhookAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                await Sql.ExecuteAsync(
                    c,
                    t,
                    $"INSERT INTO webhooks ({WebhookColumns}) VALUES (@id, @n, @d, @u, @e, @s, @sec, @ct, @ut)",
                    cancellationToken,
                    ("id", webhook.Id),
                    ("n", webhook.Name),
                    ("d", webhook.Description),
                    ("u", webhook.Url),
                    ("e", EventsJson(webhook.Events)),
                    ("s", StatusText(webhook.Status)),
                    ("sec", webhook.Secret),
                    ("ct", webhook.CreationTimestamp),
                    ("ut", webhook.LastUpdatedTimestamp)).ConfigureAwait(false);
                return webhook;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Webhook?> GetWebhookAsync(string id, CancellationToken cancellationToken) =>
        InTransactionAsync(write: false, (c, t) => LoadWebhookAsync(c, t, id, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<Page<Webhook>> ListWebhooksAsync(int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var offset = PageToken.Decode(pageToken);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await using var command = Sql.Command(
                    c, t, $"SELECT {WebhookColumns} FROM webhooks ORDER BY creation_time, id LIMIT @m OFFSET @o", ("m", (long)maxResults + 1), ("o", offset));
                var found = await ReadWebhooksAsync(command, cancellationToken).ConfigureAwait(false);
                return found.Count > maxResults
                    ? new Page<Webhook>(found.GetRange(0, maxResults), PageToken.Encode(offset + maxResults))
                    : new Page<Webhook>(found, null);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Webhook?> UpdateWebhookAsync(string id, WebhookUpdate update, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var current = await LoadWebhookAsync(c, t, id, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return null;
                }

                var updated = current with
                {
                    Name = update.Name ?? current.Name,
                    Description = update.Description ?? current.Description,
                    Url = update.Url ?? current.Url,
                    Events = update.Events ?? current.Events,
                    Secret = update.Secret ?? current.Secret,
                    Status = update.Status ?? current.Status,
                    LastUpdatedTimestamp = timestamp,
                };
                await Sql.ExecuteAsync(
                    c,
                    t,
                    "UPDATE webhooks SET name = @n, description = @d, url = @u, events = @e, status = @s, secret = @sec, last_updated_time = @ut WHERE id = @id",
                    cancellationToken,
                    ("n", updated.Name),
                    ("d", updated.Description),
                    ("u", updated.Url),
                    ("e", EventsJson(updated.Events)),
                    ("s", StatusText(updated.Status)),
                    ("sec", updated.Secret),
                    ("ut", timestamp),
                    ("id", id)).ConfigureAwait(false);
                return updated;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteWebhookAsync(string id, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                // Deliveries and their attempts go with the webhook (ON DELETE CASCADE); deleted explicitly as well
                // because SQLite enforces foreign keys only where the connection enabled them.
                await Sql.ExecuteAsync(
                    c, t, "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = @id)", cancellationToken, ("id", id)).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "DELETE FROM webhook_deliveries WHERE webhook_id = @id", cancellationToken, ("id", id)).ConfigureAwait(false);
                return await Sql.ExecuteAsync(c, t, "DELETE FROM webhooks WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false) == 1;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<int> FanOutAsync(int maxEvents, long now, Func<string> newDeliveryId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        ArgumentNullException.ThrowIfNull(newDeliveryId);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                // The cursor row's lock serializes fan-out between dispatchers on PostgreSQL (SQLite's write
                // transaction already holds the database), so each event is fanned out exactly once.
                var cursor = await Sql.ScalarAsync<long>(
                    c, t, "SELECT last_event_id FROM webhook_cursor WHERE id = 1" + _dialect.LockRowsSuffix, cancellationToken).ConfigureAwait(false);
                var events = new List<(long Id, string Type, long CreatedAt)>();
                await using (var command = Sql.Command(
                    c, t, "SELECT id, event_type, created_at FROM events WHERE id > @c ORDER BY id LIMIT @m", ("c", cursor), ("m", (long)maxEvents)))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
                    }
                }

                if (events.Count == 0)
                {
                    return 0;
                }

                List<Webhook> active;
                await using (var command = Sql.Command(c, t, $"SELECT {WebhookColumns} FROM webhooks WHERE status = @s", ("s", StatusText(WebhookStatus.Active))))
                {
                    active = await ReadWebhooksAsync(command, cancellationToken).ConfigureAwait(false);
                }

                var consumed = 0;
                var last = cursor;
                foreach (var (id, type, createdAt) in events)
                {
                    if (id != last + 1 && createdAt > now - OutboxGapGraceMs)
                    {
                        break;
                    }

                    foreach (var webhook in active)
                    {
                        // A webhook hears the events that happen after it was created, not the outbox's past.
                        if (webhook.CreationTimestamp <= createdAt && Subscribes(webhook, type))
                        {
                            await Sql.ExecuteAsync(
                                c,
                                t,
                                "INSERT INTO webhook_deliveries (id, webhook_id, event_id, state, attempts, next_attempt_at, created_at) VALUES (@id, @w, @e, @s, 0, @now, @now)",
                                cancellationToken,
                                ("id", newDeliveryId()),
                                ("w", webhook.Id),
                                ("e", id),
                                ("s", DeliveryStateText(WebhookDeliveryState.Pending)),
                                ("now", now)).ConfigureAwait(false);
                        }
                    }

                    last = id;
                    consumed++;
                }

                if (consumed > 0)
                {
                    await Sql.ExecuteAsync(c, t, "UPDATE webhook_cursor SET last_event_id = @l WHERE id = 1", cancellationToken, ("l", last)).ConfigureAwait(false);
                }

                return consumed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(string owner, long now, long leaseUntil, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var candidates = new List<string>();
                await using (var command = Sql.Command(
                    c,
                    t,
                    "SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                    + "WHERE d.state = @p AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now) AND w.status = @active "
                    + "ORDER BY d.next_attempt_at, d.event_id LIMIT @m",
                    ("p", DeliveryStateText(WebhookDeliveryState.Pending)),
                    ("now", now),
                    ("active", StatusText(WebhookStatus.Active)),
                    ("m", (long)max)))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        candidates.Add(reader.GetString(0));
                    }
                }

                var claimed = new List<DueDelivery>(candidates.Count);
                foreach (var id in candidates)
                {
                    // The lease condition is checked again by the UPDATE: on PostgreSQL a concurrent claimer that won the
                    // row makes this one match nothing, so no two dispatchers hold one delivery at a time.
                    var won = await Sql.ExecuteAsync(
                        c,
                        t,
                        "UPDATE webhook_deliveries SET lease_owner = @o, lease_until = @u WHERE id = @id AND state = @p AND (lease_until IS NULL OR lease_until <= @now)",
                        cancellationToken,
                        ("o", owner),
                        ("u", leaseUntil),
                        ("id", id),
                        ("p", DeliveryStateText(WebhookDeliveryState.Pending)),
                        ("now", now)).ConfigureAwait(false);
                    if (won != 1)
                    {
                        continue;
                    }

                    await using var command = Sql.Command(
                        c,
                        t,
                        $"SELECT {DeliveryColumns}, w.url, w.secret FROM webhook_deliveries d JOIN events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = @id",
                        ("id", id));
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        claimed.Add(new DueDelivery(ReadDelivery(reader), reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12)));
                    }
                }

                return (IReadOnlyList<DueDelivery>)claimed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RecordAttemptAsync(string owner, WebhookAttempt attempt, WebhookDeliveryState state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(attempt);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var rows = await Sql.ExecuteAsync(
                    c,
                    t,
                    "UPDATE webhook_deliveries SET state = @s, attempts = @n, next_attempt_at = COALESCE(@next, next_attempt_at), lease_owner = NULL, lease_until = NULL, "
                    + "last_status_code = @sc, last_error = @err WHERE id = @id AND lease_owner = @o",
                    cancellationToken,
                    ("s", DeliveryStateText(state)),
                    ("n", attempt.Number),
                    ("next", attempt.NextAttemptAt),
                    ("sc", attempt.StatusCode),
                    ("err", attempt.Error),
                    ("id", attempt.DeliveryId),
                    ("o", owner)).ConfigureAwait(false);
                if (rows != 1)
                {
                    return false;
                }

                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, next_attempt_at) VALUES (@id, @n, @st, @d, @sc, @err, @next)",
                    cancellationToken,
                    ("id", attempt.DeliveryId),
                    ("n", attempt.Number),
                    ("st", attempt.StartedAt),
                    ("d", attempt.DurationMs),
                    ("sc", attempt.StatusCode),
                    ("err", attempt.Error),
                    ("next", attempt.NextAttemptAt)).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string webhookId, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await using var command = Sql.Command(
                    c,
                    t,
                    $"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE d.webhook_id = @w ORDER BY d.event_id DESC LIMIT @m",
                    ("w", webhookId),
                    ("m", (long)maxResults));
                var deliveries = new List<WebhookDelivery>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    deliveries.Add(ReadDelivery(reader));
                }

                return (IReadOnlyList<WebhookDelivery>)deliveries;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(string deliveryId, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await using var command = Sql.Command(
                    c,
                    t,
                    "SELECT delivery_id, attempt, started_at, duration_ms, status_code, error, next_attempt_at FROM webhook_attempts WHERE delivery_id = @id ORDER BY attempt",
                    ("id", deliveryId));
                var attempts = new List<WebhookAttempt>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    attempts.Add(new WebhookAttempt(
                        reader.GetString(0),
                        reader.GetInt32(1),
                        reader.GetInt64(2),
                        reader.GetInt64(3),
                        reader.IsDBNull(4) ? null : reader.GetInt32(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetInt64(6)));
                }

                return (IReadOnlyList<WebhookAttempt>)attempts;
            },
            cancellationToken);

    private static async Task<Webhook?> LoadWebhookAsync(DbConnection c, DbTransaction t, string id, CancellationToken ct)
    {
        await using var command = Sql.Command(c, t, $"SELECT {WebhookColumns} FROM webhooks WHERE id = @id", ("id", id));
        var found = await ReadWebhooksAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<List<Webhook>> ReadWebhooksAsync(DbCommand command, CancellationToken ct)
    {
        var webhooks = new List<Webhook>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            webhooks.Add(new Webhook(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                ParseEvents(reader.GetString(4)),
                reader.GetString(5) == "DISABLED" ? WebhookStatus.Disabled : WebhookStatus.Active,
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetInt64(7),
                reader.GetInt64(8)));
        }

        return webhooks;
    }

    private static WebhookDelivery ReadDelivery(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt64(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5) switch
        {
            "pending" => WebhookDeliveryState.Pending,
            "delivered" => WebhookDeliveryState.Delivered,
            _ => WebhookDeliveryState.Failed,
        },
        reader.GetInt32(6),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.IsDBNull(9) ? null : reader.GetInt32(9),
        reader.IsDBNull(10) ? null : reader.GetString(10));

    private static bool Subscribes(Webhook webhook, string eventType)
    {
        foreach (var subscribed in webhook.Events)
        {
            if (string.Equals(subscribed.ToString(), eventType, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string StatusText(WebhookStatus status) => status == WebhookStatus.Disabled ? "DISABLED" : "ACTIVE";

    private static string DeliveryStateText(WebhookDeliveryState state) => state.ToString().ToLowerInvariant();

    // Stored as a JSON array of "entity.action" strings.
    private static string EventsJson(IReadOnlyList<WebhookEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var webhookEvent in events)
            {
                json.WriteStringValue(webhookEvent.ToString());
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<WebhookEvent> ParseEvents(string json)
    {
        var events = new List<WebhookEvent>();
        using var document = JsonDocument.Parse(json);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var text = element.GetString();
            // An event type a newer Slipway stored and this one does not know is skipped rather than failing the read.
            if (WebhookEvent.TryParse(text, out var parsed, out _))
            {
                events.Add(parsed.Value);
            }
        }

        return events;
    }
}
