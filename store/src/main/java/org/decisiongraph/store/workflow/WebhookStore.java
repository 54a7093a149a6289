package org.decisiongraph.store.workflow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.sql.Handle;

/**
 * Webhook subscriptions and deliveries (platform spec 1.15.9). Deliveries are enqueued by
 * {@link WorkflowTx#enqueueWebhooks} in the transaction that creates the notification; the dispatcher claims
 * an attempt with a conditional UPDATE on {@code attempts}, so of several dispatchers exactly one sends it.
 * Thread-safe.
 */
public final class WebhookStore {
    private final Database db;
    private final WorkflowStore times;

    public WebhookStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.times = new WorkflowStore(db);
    }

    public void create(Webhook w) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("INSERT INTO dg_webhooks (tenant_id, webhook_id, url, topics_json, event_types_json, status,"
                    + " secret_ciphertext, created_at, created_by, last_delivery_at, consecutive_failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, w.tenantId());
            ps.setString(2, w.webhookId());
            ps.setString(3, w.url());
            ps.setString(4, list(w.topics()));
            ps.setString(5, list(w.eventTypes()));
            ps.setString(6, w.status());
            ps.setString(7, w.secretCiphertext());
            times.setTime(ps, 8, w.createdAt());
            ps.setString(9, w.createdBy());
            times.setTime(ps, 10, w.lastDeliveryAt());
            ps.setInt(11, w.consecutiveFailures());
            return ps.executeUpdate();
        });
    }

    public List<Webhook> list(String tenant) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT * FROM dg_webhooks WHERE tenant_id = ? ORDER BY created_at, webhook_id");
            ps.setString(1, tenant);
            List<Webhook> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readWebhook(rs));
                }
            }
            return out;
        });
    }

    public Optional<Webhook> get(String tenant, String webhookId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT * FROM dg_webhooks WHERE tenant_id = ? AND webhook_id = ?");
            ps.setString(1, tenant);
            ps.setString(2, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readWebhook(rs)) : Optional.<Webhook>empty();
            }
        });
    }

    /** Sets the status; enabling also resets the failure count. False when the subscription does not exist. */
    public boolean setStatus(String tenant, String webhookId, String status) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_webhooks SET status = ?, consecutive_failures = CASE WHEN ? = 'active'"
                    + " THEN 0 ELSE consecutive_failures END WHERE tenant_id = ? AND webhook_id = ?");
            ps.setString(1, status);
            ps.setString(2, status);
            ps.setString(3, tenant);
            ps.setString(4, webhookId);
            return ps.executeUpdate() == 1;
        });
    }

    /** Deliveries of a subscription, oldest first, after {@code afterDeliveryId}'s position (null: from the start). */
    public List<WebhookDelivery> deliveries(String tenant, String webhookId, int offset, int limit) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT * FROM dg_webhook_deliveries WHERE tenant_id = ? AND webhook_id = ?"
                    + " ORDER BY created_at, delivery_id LIMIT ? OFFSET ?");
            ps.setString(1, tenant);
            ps.setString(2, webhookId);
            ps.setInt(3, limit);
            ps.setInt(4, offset);
            return readDeliveries(ps);
        });
    }

    /** Pending deliveries of every tenant whose next attempt is due at {@code now}. */
    public List<WebhookDelivery> due(Instant now, int limit) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT * FROM dg_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
                    + " ORDER BY next_attempt_at, created_at, delivery_id LIMIT ?");
            times.setTime(ps, 1, now);
            ps.setInt(2, limit);
            return readDeliveries(ps);
        });
    }

    /**
     * Claims attempt {@code attempts + 1} of a pending delivery until {@code leaseUntil} (a crashed sender's
     * claim expires then); false when another dispatcher claimed it first.
     */
    public boolean claim(WebhookDelivery d, Instant leaseUntil) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?"
                    + " WHERE tenant_id = ? AND delivery_id = ? AND attempts = ? AND status = 'pending'");
            times.setTime(ps, 1, leaseUntil);
            ps.setString(2, d.tenantId());
            ps.setString(3, d.deliveryId());
            ps.setInt(4, d.attempts());
            return ps.executeUpdate() == 1;
        });
    }

    public void delivered(WebhookDelivery d, int statusCode, Instant now) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_webhook_deliveries SET status = 'delivered', last_status_code = ?,"
                    + " last_error = NULL, delivered_at = ? WHERE tenant_id = ? AND delivery_id = ?");
            ps.setInt(1, statusCode);
            times.setTime(ps, 2, now);
            ps.setString(3, d.tenantId());
            ps.setString(4, d.deliveryId());
            ps.executeUpdate();
            PreparedStatement w = h.prepare("UPDATE dg_webhooks SET last_delivery_at = ?, consecutive_failures = 0"
                    + " WHERE tenant_id = ? AND webhook_id = ?");
            times.setTime(w, 1, now);
            w.setString(2, d.tenantId());
            w.setString(3, d.webhookId());
            return w.executeUpdate();
        });
    }

    /**
     * Records a failed attempt: retried at {@code nextAttemptAt}, or (null) finally {@code failed}, which adds
     * one to the subscription's consecutive failures. Returns the subscription's failure count.
     */
    public int failed(WebhookDelivery d, Integer statusCode, String error, Instant nextAttemptAt) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_webhook_deliveries SET status = ?, last_status_code = ?, last_error = ?,"
                    + " next_attempt_at = COALESCE(?, next_attempt_at) WHERE tenant_id = ? AND delivery_id = ?");
            ps.setString(1, nextAttemptAt == null ? "failed" : "pending");
            if (statusCode == null) {
                ps.setNull(2, java.sql.Types.INTEGER);
            } else {
                ps.setInt(2, statusCode);
            }
            ps.setString(3, error);
            times.setTime(ps, 4, nextAttemptAt);
            ps.setString(5, d.tenantId());
            ps.setString(6, d.deliveryId());
            ps.executeUpdate();
            if (nextAttemptAt == null) {
                PreparedStatement w = h.prepare("UPDATE dg_webhooks SET consecutive_failures = consecutive_failures + 1"
                        + " WHERE tenant_id = ? AND webhook_id = ?");
                w.setString(1, d.tenantId());
                w.setString(2, d.webhookId());
                w.executeUpdate();
            }
            PreparedStatement q = h.prepare("SELECT consecutive_failures FROM dg_webhooks WHERE tenant_id = ? AND webhook_id = ?");
            q.setString(1, d.tenantId());
            q.setString(2, d.webhookId());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    /**
     * Enqueues an {@code event_appended} delivery of each committed event for every active subscription of the tenant
     * with that topic whose {@code event_types} is empty or contains the event's type (platform spec 1.15.9), in one
     * transaction; deduplicated per subscription and event id. {@code data} gives the delivery's {@code data} member.
     */
    public void enqueueEventAppended(String tenant, List<org.decisiongraph.core.event.StoredEvent> events,
                                     java.util.function.Function<org.decisiongraph.core.event.StoredEvent, org.decisiongraph.core.json.JsonObject> data,
                                     Instant now) {
        if (events.isEmpty()) {
            return;
        }
        db.tx().write(h -> {
            for (org.decisiongraph.core.event.StoredEvent e : events) {
                enqueue(h, times, tenant, "event_appended", e.eventType(), "event:" + e.eventId(), "whd-", (deliveryId, webhookId) ->
                        org.decisiongraph.core.json.JsonWriter.canonicalLenient(org.decisiongraph.core.json.JsonObject.builder()
                                .put("created_at", java.time.format.DateTimeFormatter.ISO_INSTANT.format(now)).put("data", data.apply(e))
                                .put("delivery_id", deliveryId).put("tenant_id", tenant).put("topic", "event_appended")
                                .put("webhook_id", webhookId).build()), now);
            }
            return null;
        });
    }

    static void enqueue(Handle h, WorkflowStore times, String tenant, String topic, String dedupeKey, String deliveryIdPrefix,
                        java.util.function.BiFunction<String, String, String> body, Instant now) throws SQLException {
        enqueue(h, times, tenant, topic, null, dedupeKey, deliveryIdPrefix, body, now);
    }

    /** {@code eventType} non-null: subscriptions with a non-empty {@code event_types} get only the listed types. */
    static void enqueue(Handle h, WorkflowStore times, String tenant, String topic, String eventType, String dedupeKey,
                        String deliveryIdPrefix, java.util.function.BiFunction<String, String, String> body, Instant now)
            throws SQLException {
        PreparedStatement sel = h.prepare("SELECT webhook_id, topics_json, event_types_json FROM dg_webhooks WHERE tenant_id = ?"
                + " AND status = 'active' ORDER BY webhook_id");
        sel.setString(1, tenant);
        List<String> targets = new ArrayList<>();
        try (ResultSet rs = sel.executeQuery()) {
            while (rs.next()) {
                if (!parseList(rs.getString(2)).contains(topic)) {
                    continue;
                }
                List<String> types = parseList(rs.getString(3));
                if (eventType != null && !types.isEmpty() && !types.contains(eventType)) {
                    continue;
                }
                targets.add(rs.getString(1));
            }
        }
        for (String webhookId : targets) {
            String deliveryId = deliveryIdPrefix + java.util.UUID.nameUUIDFromBytes((tenant + "\n" + webhookId + "\n" + dedupeKey)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            PreparedStatement ps = h.prepare("INSERT INTO dg_webhook_deliveries (tenant_id, delivery_id, webhook_id, topic, dedupe_key,"
                    + " body_json, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)"
                    + " ON CONFLICT DO NOTHING");
            ps.setString(1, tenant);
            ps.setString(2, deliveryId);
            ps.setString(3, webhookId);
            ps.setString(4, topic);
            ps.setString(5, dedupeKey);
            ps.setString(6, body.apply(deliveryId, webhookId));
            times.setTime(ps, 7, now);
            times.setTime(ps, 8, now);
            ps.executeUpdate();
        }
    }

    private List<WebhookDelivery> readDeliveries(PreparedStatement ps) throws SQLException {
        List<WebhookDelivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int code = rs.getInt("last_status_code");
                Integer last = rs.wasNull() ? null : code;
                out.add(new WebhookDelivery(rs.getString("tenant_id"), rs.getString("delivery_id"), rs.getString("webhook_id"),
                        rs.getString("topic"), rs.getString("dedupe_key"), rs.getString("body_json"), rs.getString("status"),
                        rs.getInt("attempts"), last, rs.getString("last_error"), times.getTime(rs, "next_attempt_at"),
                        times.getTime(rs, "created_at"), times.getTime(rs, "delivered_at")));
            }
        }
        return out;
    }

    private Webhook readWebhook(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString("tenant_id"), rs.getString("webhook_id"), rs.getString("url"),
                parseList(rs.getString("topics_json")), parseList(rs.getString("event_types_json")), rs.getString("status"),
                rs.getString("secret_ciphertext"), times.getTime(rs, "created_at"), rs.getString("created_by"),
                times.getTime(rs, "last_delivery_at"), rs.getInt("consecutive_failures"));
    }

    static String list(List<String> values) {
        return JsonWriter.canonicalLenient(JsonArray.of(values.stream().map(v -> (Json) new JsonString(v)).toList()));
    }

    static List<String> parseList(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Json j : (JsonArray) JsonParser.parse(text)) {
            if (j instanceof JsonString s) {
                out.add(s.value());
            }
        }
        return out;
    }
}
