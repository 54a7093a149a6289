package org.decisiongraph.workflow.notify;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.workflow.Webhook;
import org.decisiongraph.store.workflow.WebhookDelivery;
import org.decisiongraph.store.workflow.WebhookStore;
import org.decisiongraph.workflow.WorkflowError;

/**
 * Webhook subscriptions of a tenant (platform spec 1.15.9): create (secret shown once, stored sealed),
 * list, get, disable, enable, delivery log. Thread-safe.
 */
public final class Webhooks {
    public static final List<String> TOPICS = List.of("event_appended", "workflow_notification", "replay_run", "projection_failure",
            "digest_verification");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore store;
    private final SecretBox box;
    private final Clock clock;
    private final boolean allowLoopbackHttp;

    /** {@code allowLoopbackHttp}: plain {@code http://} is accepted for localhost/127.0.0.1 (deployment env {@code dev}). */
    public Webhooks(Database db, SecretBox box, Clock clock, boolean allowLoopbackHttp) {
        this.store = new WebhookStore(db);
        this.box = Objects.requireNonNull(box, "box");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allowLoopbackHttp = allowLoopbackHttp;
    }

    public WebhookStore store() {
        return store;
    }

    /**
     * Enqueues {@code event_appended} deliveries (data = the full StoredEvent) of committed events for the tenant's
     * subscriptions to that topic, honouring each subscription's {@code event_types} filter.
     */
    public void eventsAppended(String tenant, List<org.decisiongraph.core.event.StoredEvent> events) {
        store.enqueueEventAppended(tenant, events, org.decisiongraph.core.event.EnvelopeJson::toJson,
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    /** A created subscription and its secret (shown only now). */
    public record Created(Webhook webhook, String secret) {
    }

    public Created create(String tenant, JsonObject body, String createdBy) {
        String url = body.getString("url");
        if (url == null || url.isBlank()) {
            throw WorkflowError.invalid("url is required");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw WorkflowError.invalid("url must use https");
        }
        boolean loopback = "localhost".equalsIgnoreCase(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !(allowLoopbackHttp && loopback && "http".equalsIgnoreCase(uri.getScheme()))) {
            throw WorkflowError.invalid("url must use https");
        }
        List<String> topics = strings(body.get("topics"), "topics");
        if (topics.isEmpty()) {
            throw WorkflowError.invalid("topics must be a non-empty list of: " + String.join(", ", TOPICS));
        }
        for (String t : topics) {
            if (!TOPICS.contains(t)) {
                throw WorkflowError.invalid("Unsupported topic \"" + t + "\"");
            }
        }
        List<String> eventTypes = body.has("event_types") ? strings(body.get("event_types"), "event_types") : List.of();
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Webhook w = new Webhook(tenant, "wh-" + UUID.randomUUID(), uri.toString(), topics, eventTypes, "active", box.seal(secret),
                clock.instant().truncatedTo(ChronoUnit.MICROS), createdBy, null, 0);
        store.create(w);
        return new Created(w, secret);
    }

    public List<Webhook> list(String tenant) {
        return store.list(tenant);
    }

    public Webhook get(String tenant, String webhookId) {
        return store.get(tenant, webhookId).orElseThrow(() -> WorkflowError.notFound("Webhook not found: " + webhookId));
    }

    public Webhook setStatus(String tenant, String webhookId, String status) {
        if (!store.setStatus(tenant, webhookId, status)) {
            throw WorkflowError.notFound("Webhook not found: " + webhookId);
        }
        return get(tenant, webhookId);
    }

    String secretOf(Webhook w) {
        return box.open(w.secretCiphertext());
    }

    public static JsonObject json(Webhook w) {
        return JsonObject.builder().put("consecutive_failures", w.consecutiveFailures())
                .put("created_at", time(w.createdAt())).put("created_by", str(w.createdBy()))
                .put("event_types", JsonArray.of(w.eventTypes().stream().map(s -> (Json) new JsonString(s)).toList()))
                .put("last_delivery_at", time(w.lastDeliveryAt())).put("status", w.status()).put("tenant_id", w.tenantId())
                .put("topics", JsonArray.of(w.topics().stream().map(s -> (Json) new JsonString(s)).toList()))
                .put("url", w.url()).put("webhook_id", w.webhookId()).build();
    }

    public static JsonObject json(WebhookDelivery d) {
        return JsonObject.builder().put("attempts", d.attempts()).put("created_at", time(d.createdAt()))
                .put("delivered_at", time(d.deliveredAt())).put("delivery_id", d.deliveryId())
                .put("last_error", str(d.lastError()))
                .put("last_status_code", d.lastStatusCode() == null ? JsonNull.INSTANCE : JsonInt.of(d.lastStatusCode()))
                .put("status", d.status()).put("topic", d.topic()).build();
    }

    private static List<String> strings(Json j, String field) {
        if (!(j instanceof JsonArray a)) {
            throw WorkflowError.invalid(field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Json x : a) {
            if (!(x instanceof JsonString s)) {
                throw WorkflowError.invalid(field + " must be a list of strings");
            }
            out.add(s.value());
        }
        return out;
    }

    private static Json str(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonString(s);
    }

    private static Json time(Instant t) {
        return t == null ? JsonNull.INSTANCE : new JsonString(java.time.format.DateTimeFormatter.ISO_INSTANT.format(t));
    }

    static JsonObject parse(String body) {
        return (JsonObject) JsonParser.parse(body);
    }
}
