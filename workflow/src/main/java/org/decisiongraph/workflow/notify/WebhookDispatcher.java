package org.decisiongraph.workflow.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.workflow.Webhook;
import org.decisiongraph.store.workflow.WebhookDelivery;

/**
 * Sends due webhook deliveries (platform spec 1.15.9): {@code POST <url>} with the stored body and the headers
 * {@code x-dg-webhook-id}, {@code x-dg-delivery-id}, {@code x-dg-timestamp} (Unix seconds) and
 * {@code x-dg-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>}. A 2xx within the timeout
 * is a success; otherwise attempt {@code n} is retried after {@code base × 2^(n−1)} up to {@code maxAttempts},
 * then the delivery is {@code failed}; after {@code disableAfter} consecutive failed deliveries the
 * subscription is disabled (audit row, actor {@code system}). {@link #runDue} is the pure step (time comes in).
 */
public final class WebhookDispatcher {
    /** Retry and disable policy; the spec's values are {@link #DEFAULTS}. */
    public record Policy(Duration backoffBase, int maxAttempts, int disableAfter, Duration timeout) {
        public static final Policy DEFAULTS = new Policy(Duration.ofSeconds(10), 8, 50, Duration.ofSeconds(10));
    }

    private final Webhooks webhooks;
    private final AccessStore access;
    private final Clock clock;
    private final Policy policy;
    private final HttpClient http;

    public WebhookDispatcher(Webhooks webhooks, AccessStore access, Clock clock, Policy policy) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.access = Objects.requireNonNull(access, "access");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.http = HttpClient.newBuilder().connectTimeout(policy.timeout()).build();
    }

    /** Sends every delivery due at {@code now}; returns the number of attempts made. */
    public int runDue(Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        List<WebhookDelivery> due = webhooks.store().due(at, 100);
        int attempts = 0;
        for (WebhookDelivery d : due) {
            Optional<Webhook> w = webhooks.store().get(d.tenantId(), d.webhookId());
            if (w.isEmpty() || !"active".equals(w.get().status())) {
                continue;
            }
            if (!webhooks.store().claim(d, at.plus(policy.timeout()).plusSeconds(5))) {
                continue; // another dispatcher has it
            }
            attempts++;
            int attempt = d.attempts() + 1;
            Integer code = null;
            String error = null;
            try {
                code = send(w.get(), d, at);
                if (code >= 200 && code < 300) {
                    webhooks.store().delivered(d, code, clock.instant().truncatedTo(ChronoUnit.MICROS));
                    continue;
                }
                error = "HTTP " + code;
            } catch (java.io.IOException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
            Instant next = attempt >= policy.maxAttempts() ? null
                    : at.plus(policy.backoffBase().multipliedBy(1L << (attempt - 1)));
            int failures = webhooks.store().failed(d, code, error, next);
            if (next == null && failures >= policy.disableAfter() && "active".equals(w.get().status())) {
                webhooks.store().setStatus(d.tenantId(), d.webhookId(), "disabled");
                access.appendAudit(new AuditRecord(d.tenantId(), at, "system", "webhook-dispatcher", List.of(), "webhook_disable",
                        "webhook", d.webhookId(), "accepted", "disabled after " + failures + " consecutive failed deliveries", null,
                        null, null, JsonObject.builder().put("consecutive_failures", failures).put("automatic", true).build()));
            }
        }
        return attempts;
    }

    private int send(Webhook w, WebhookDelivery d, Instant at) throws java.io.IOException, InterruptedException {
        String timestamp = Long.toString(at.getEpochSecond());
        String signature = "sha256=" + sign(webhooks.secretOf(w), timestamp + "." + d.body());
        HttpRequest request = HttpRequest.newBuilder(URI.create(w.url())).timeout(policy.timeout())
                .header("Content-Type", "application/json")
                .header("x-dg-webhook-id", w.webhookId())
                .header("x-dg-delivery-id", d.deliveryId())
                .header("x-dg-timestamp", timestamp)
                .header("x-dg-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Lowercase hex HMAC-SHA256 of {@code message} under {@code secret}. */
    public static String sign(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
