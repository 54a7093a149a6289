package org.decisiongraph.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;

/**
 * Client of the DecisionGraph HTTP API (java.net.http). Error answers throw {@link DgApiException};
 * transient failures (connection errors, 429, 503) are retried up to {@code maxAttempts} times with the
 * same body, which is safe for appends because every event carries its idempotency key. Thread-safe.
 */
public final class DgClient {
    private static final Map<String, String> PREFER_MINIMAL = Map.of("Prefer", "return=minimal");
    private final HttpClient http;
    private final URI base;
    private final String token;
    private final String tenant;
    private final int maxAttempts;
    private final Duration maxBackoff;
    private final ResponseObserver observer;

    /**
     * Sees every HTTP answer with a text body this client receives (SSE streams and attachment downloads excepted),
     * before it is turned into a result or an exception: for logging, or for tests that check answers against the
     * OpenAPI document.
     */
    @FunctionalInterface
    public interface ResponseObserver {
        void observed(String method, URI uri, int status, String contentType, String body);
    }

    public DgClient(URI base, String token, String tenant) {
        this(base, token, tenant, 4, Duration.ofSeconds(2));
    }

    public DgClient(URI base, String token, String tenant, int maxAttempts, Duration maxBackoff) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), base, token, tenant, maxAttempts,
                maxBackoff, null);
    }

    private DgClient(HttpClient http, URI base, String token, String tenant, int maxAttempts, Duration maxBackoff,
                     ResponseObserver observer) {
        this.http = http;
        this.base = Objects.requireNonNull(base, "base");
        this.token = token;
        this.tenant = tenant;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.maxBackoff = maxBackoff;
        this.observer = observer;
    }

    /** The same server as another account / tenant (same observer). */
    public DgClient as(String otherToken, String otherTenant) {
        return new DgClient(http, base, otherToken, otherTenant, maxAttempts, maxBackoff, observer);
    }

    /** This client with {@code value} seeing every answer (null: none). */
    public DgClient withObserver(ResponseObserver value) {
        return new DgClient(http, base, token, tenant, maxAttempts, maxBackoff, value);
    }

    private HttpResponse<String> observe(HttpResponse<String> r) {
        if (observer != null) {
            observer.observed(r.request().method(), r.uri(), r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(null), r.body());
        }
        return r;
    }

    // --- typed routes -------------------------------------------------------------------------------

    public ApiResponse healthz() {
        return send("GET", "/api/healthz", Map.of(), null);
    }

    public ApiResponse readyz() {
        return send("GET", "/api/readyz", Map.of(), null);
    }

    public ApiResponse openApi() {
        return send("GET", "/openapi.json", Map.of(), null);
    }

    /** {@code POST /api/v1/events}: 201 with {@code data.event}; {@code Idempotent-Replay: true} on reuse. */
    public ApiResponse appendEvent(Json event) {
        return send("POST", "/api/v1/events", Map.of(), event);
    }

    /** {@code POST /api/v1/events} with {@code Prefer: return=minimal}: {@code data.event} holds ids and positions only. */
    public ApiResponse appendEventMinimal(Json event) {
        return send("POST", "/api/v1/events", Map.of(), event, PREFER_MINIMAL);
    }

    /** {@code POST /api/v1/events/batch}. */
    public ApiResponse appendBatch(List<? extends Json> events, boolean stopOnError) {
        return send("POST", "/api/v1/events/batch", Map.of(), batchBody(events, stopOnError));
    }

    /**
     * {@code POST /api/v1/events/batch} with {@code Prefer: return=minimal}: each result's {@code event} holds
     * {@code event_id, log_seq, payload_hash, recorded_at, tenant_id, trace_id, trace_seq} only, which makes the
     * answer of a large batch several times smaller (ingest clients rarely need their events echoed).
     */
    public ApiResponse appendBatchMinimal(List<? extends Json> events, boolean stopOnError) {
        return send("POST", "/api/v1/events/batch", Map.of(), batchBody(events, stopOnError), PREFER_MINIMAL);
    }

    private static JsonObject batchBody(List<? extends Json> events, boolean stopOnError) {
        return JsonObject.builder().put("events", Json.array(events)).put("stop_on_error", stopOnError).build();
    }

    /**
     * Appends any number of events in batches of at most 1000; returns every per-event result in order, each
     * with the minimal event ({@link #appendBatchMinimal}).
     */
    public List<JsonObject> appendAll(List<? extends Json> events) {
        List<JsonObject> results = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 1000) {
            ApiResponse r = appendBatchMinimal(events.subList(i, Math.min(events.size(), i + 1000)), false);
            for (Json item : r.data().getArray("results")) {
                results.add((JsonObject) item);
            }
        }
        return results;
    }

    /** {@code GET /api/v1/events} with filters ({@code limit}, {@code cursor}, ...). */
    public ApiResponse listEvents(Map<String, String> query) {
        return send("GET", "/api/v1/events", query, null);
    }

    public ApiResponse traceEvents(String traceId, Map<String, String> query) {
        return send("GET", "/api/v1/traces/" + segment(traceId) + "/events", query, null);
    }

    public ApiResponse tenants() {
        return send("GET", "/api/v1/admin/tenants", Map.of(), null);
    }

    public ApiResponse createTenant(String tenantId, String displayName, String reason) {
        JsonObject.Builder b = JsonObject.builder().put("tenant_id", tenantId).put("reason", reason);
        if (displayName != null) {
            b.put("display_name", displayName);
        }
        return send("POST", "/api/v1/admin/tenants", Map.of(), b.build());
    }

    public ApiResponse serviceAccounts() {
        return send("GET", "/api/v1/admin/service-accounts", Map.of(), null);
    }

    public ApiResponse serviceAccount(String accountId) {
        return send("GET", "/api/v1/admin/service-accounts/" + segment(accountId), Map.of(), null);
    }

    public ApiResponse createServiceAccount(JsonObject body) {
        return send("POST", "/api/v1/admin/service-accounts", Map.of(), body);
    }

    public ApiResponse rotateKey(String accountId, String reason) {
        return send("POST", "/api/v1/admin/service-accounts/" + segment(accountId) + "/keys", Map.of(),
                JsonObject.builder().put("reason", reason).build());
    }

    public ApiResponse revokeKey(String accountId, String keyId, String reason) {
        return send("POST", "/api/v1/admin/service-accounts/" + segment(accountId) + "/keys/" + segment(keyId) + "/revoke",
                Map.of(), JsonObject.builder().put("reason", reason).build());
    }

    public ApiResponse auditLog(Map<String, String> query) {
        return send("GET", "/api/v1/admin/audit-log", query, null);
    }

    // --- projections (platform spec 1.5-1.10, 1.15.4-1.15.6, 1.15.8) ---------------------------------

    /** {@code GET /api/v1/traces/:trace_id}: events and summary (409 while projections are behind). */
    public ApiResponse trace(String traceId) {
        return send("GET", "/api/v1/traces/" + segment(traceId), Map.of(), null);
    }

    /** {@code GET /api/v1/graph/context} ({@code node_type}, {@code node_id}, {@code edge_types}, ...). */
    public ApiResponse graphContext(Map<String, String> query) {
        return send("GET", "/api/v1/graph/context", query, null);
    }

    /** {@code GET /api/v1/graph/edges} ({@code node_type}, {@code node_id}, {@code direction}, {@code limit}, cursor). */
    public ApiResponse graphEdges(Map<String, String> query) {
        return send("GET", "/api/v1/graph/edges", query, null);
    }

    /** {@code GET /api/v1/precedents}. */
    public ApiResponse precedents(Map<String, String> query) {
        return send("GET", "/api/v1/precedents", query, null);
    }

    /** {@code GET /api/v1/projections/health}. */
    public ApiResponse projectionHealth() {
        return send("GET", "/api/v1/projections/health", Map.of(), null);
    }

    /** {@code POST /api/v1/admin/replays}: {@code mode}, {@code projection}, {@code reason}, log-seq bounds, metadata. */
    public ApiResponse startReplay(JsonObject body) {
        return send("POST", "/api/v1/admin/replays", Map.of(), body);
    }

    /** A replay or rebuild of {@code projection} with a reason. */
    public ApiResponse startReplay(String mode, String projection, String reason) {
        return startReplay(JsonObject.builder().put("mode", mode).put("projection", projection).put("reason", reason).build());
    }

    public ApiResponse replay(String jobId) {
        return send("GET", "/api/v1/admin/replays/" + segment(jobId), Map.of(), null);
    }

    public ApiResponse cancelReplay(String jobId) {
        return send("POST", "/api/v1/admin/replays/" + segment(jobId) + "/cancel", Map.of(), JsonObject.empty());
    }

    /** {@code GET /api/v1/admin/replays} ({@code projection}, {@code mode}, {@code status}, {@code limit}, {@code cursor}). */
    public ApiResponse replays(Map<String, String> query) {
        return send("GET", "/api/v1/admin/replays", query, null);
    }

    public ApiResponse projectorWorkers() {
        return send("GET", "/api/v1/admin/projector-workers", Map.of(), null);
    }

    /** {@code GET /api/v1/admin/projection-failures} ({@code projection}, {@code status}, {@code limit}, {@code cursor}). */
    public ApiResponse projectionFailures(Map<String, String> query) {
        return send("GET", "/api/v1/admin/projection-failures", query, null);
    }

    public ApiResponse projectionFailure(String failureId) {
        return send("GET", "/api/v1/admin/projection-failures/" + segment(failureId), Map.of(), null);
    }

    public ApiResponse retryProjectionFailure(String failureId, String reason) {
        return send("POST", "/api/v1/admin/projection-failures/" + segment(failureId) + "/retry", Map.of(),
                JsonObject.builder().put("reason", reason).build());
    }

    public ApiResponse resolveProjectionFailure(String failureId, String reason) {
        return send("POST", "/api/v1/admin/projection-failures/" + segment(failureId) + "/resolve", Map.of(),
                JsonObject.builder().put("reason", reason).build());
    }

    /** {@code POST /api/v1/admin/digest-verifications} ({@code projection}: {@code all} or one name). */
    public ApiResponse startDigestVerification(String projection, String reason) {
        return send("POST", "/api/v1/admin/digest-verifications", Map.of(),
                JsonObject.builder().put("projection", projection).put("reason", reason).build());
    }

    public ApiResponse digestVerifications(Map<String, String> query) {
        return send("GET", "/api/v1/admin/digest-verifications", query, null);
    }

    public ApiResponse digestVerification(String verificationId) {
        return send("GET", "/api/v1/admin/digest-verifications/" + segment(verificationId), Map.of(), null);
    }

    /**
     * Opens {@code GET /api/v1/stream} ({@code topics} comma-separated or null for all; {@code sinceLogSeq} or
     * null). Error answers throw {@link DgApiException}.
     */
    public SseStream stream(String topics, Long sinceLogSeq) {
        Map<String, String> query = new LinkedHashMap<>();
        if (topics != null) {
            query.put("topics", topics);
        }
        if (sinceLogSeq != null) {
            query.put("since_log_seq", Long.toString(sinceLogSeq));
        }
        HttpRequest request = build("GET", "/api/v1/stream", query, null, Map.of("Accept", "text/event-stream"));
        try {
            HttpResponse<java.util.stream.Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() >= 400) {
                String text = String.join("\n", r.body().toList());
                throw error(r.statusCode(), parseLenient(text));
            }
            return new SseStream(r.body());
        } catch (IOException e) {
            throw new DgApiException(0, "connection_failed", String.valueOf(e.getMessage()), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DgApiException(0, "interrupted", "interrupted", null, null);
        }
    }

    // --- workflows (human review) --------------------------------------------------------------------

    /** {@code GET /api/v1/workflows}: the review inbox ({@code status}, {@code priority}, {@code only_overdue}, {@code cursor}, ...). */
    public ApiResponse workflowInbox(Map<String, String> query) {
        return send("GET", "/api/v1/workflows", query, null);
    }

    /** {@code GET /api/v1/workflow-inbox/counts}. */
    public ApiResponse workflowCounts() {
        return send("GET", "/api/v1/workflow-inbox/counts", Map.of(), null);
    }

    /** {@code GET /api/v1/workflows/:id}. */
    public ApiResponse workflow(String workflowId) {
        return send("GET", "/api/v1/workflows/" + segment(workflowId), Map.of(), null);
    }

    /**
     * {@code POST /api/v1/workflows/:id/actions}. {@code requestId} (may be null) is sent as
     * {@code x-request-id}: retrying with the same id is idempotent.
     */
    public ApiResponse workflowAction(String workflowId, JsonObject body, String requestId) {
        return send("POST", "/api/v1/workflows/" + segment(workflowId) + "/actions", Map.of(), body,
                requestId == null ? Map.of() : Map.of("x-request-id", requestId));
    }

    /** {@code GET /api/v1/admin/workflows/:id/export}. */
    public ApiResponse workflowExport(String workflowId) {
        return send("GET", "/api/v1/admin/workflows/" + segment(workflowId) + "/export", Map.of(), null);
    }

    /** {@code GET /api/v1/admin/evidence/traces/{trace_id}}: the evidence bundle of a trace ({@code data}). */
    public ApiResponse evidenceTrace(String traceId) {
        return send("GET", "/api/v1/admin/evidence/traces/" + segment(traceId), Map.of(), null);
    }

    /** {@code GET /api/v1/admin/evidence/range?from=&to=}: the evidence bundle of a log_seq range ({@code data}). */
    public ApiResponse evidenceRange(long from, long to) {
        return send("GET", "/api/v1/admin/evidence/range", Map.of("from", Long.toString(from), "to", Long.toString(to)), null);
    }

    /** {@code GET /api/v1/admin/evidence/workflows/{workflow_id}}: the evidence bundle of a review item ({@code data}). */
    public ApiResponse evidenceWorkflow(String workflowId) {
        return send("GET", "/api/v1/admin/evidence/workflows/" + segment(workflowId), Map.of(), null);
    }

    /** {@code GET /api/v1/workflow-studio/templates}. */
    public ApiResponse workflowTemplates() {
        return send("GET", "/api/v1/workflow-studio/templates", Map.of(), null);
    }

    /** {@code GET /api/v1/workflow-studio/traces/:trace_id} (a recommendation; writes nothing). */
    public ApiResponse workflowStudio(String traceId, String templateId) {
        return send("GET", "/api/v1/workflow-studio/traces/" + segment(traceId),
                templateId == null ? Map.of() : Map.of("template_id", templateId), null);
    }

    /** {@code POST /api/v1/workflow-studio/traces/:trace_id/reviews}. */
    public ApiResponse startReview(String traceId, String templateId, String reason) {
        JsonObject.Builder b = JsonObject.builder().put("reason", reason);
        if (templateId != null) {
            b.put("template_id", templateId);
        }
        return send("POST", "/api/v1/workflow-studio/traces/" + segment(traceId) + "/reviews", Map.of(), b.build());
    }

    /** {@code POST /api/v1/workflows/:id/attachments}: uploads an evidence file (raw bytes); throws on error answers. */
    public ApiResponse uploadAttachment(String workflowId, String fileName, String contentType, byte[] content, String requestId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/v1/workflows/" + segment(workflowId) + "/attachments?file_name="
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(content));
        authorize(b);
        if (requestId != null) {
            b.header("x-request-id", requestId);
        }
        try {
            HttpResponse<String> r = observe(http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            Json parsed = r.body().isEmpty() ? JsonObject.empty() : parseLenient(r.body());
            if (r.statusCode() >= 400) {
                throw error(r.statusCode(), parsed);
            }
            return new ApiResponse(r.statusCode(), r.headers().map(), parsed);
        } catch (IOException e) {
            throw new DgApiException(0, "connection_failed", String.valueOf(e.getMessage()), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DgApiException(0, "interrupted", "interrupted", null, null);
        }
    }

    /** {@code GET /api/v1/workflows/:id/attachments/:attachment_id}: the file's bytes; throws on error answers. */
    public byte[] downloadAttachment(String workflowId, String attachmentId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/v1/workflows/" + segment(workflowId) + "/attachments/"
                + segment(attachmentId))).timeout(Duration.ofSeconds(60)).GET();
        authorize(b);
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() >= 400) {
                throw error(r.statusCode(), parseLenient(new String(r.body(), StandardCharsets.UTF_8)));
            }
            return r.body();
        } catch (IOException e) {
            throw new DgApiException(0, "connection_failed", String.valueOf(e.getMessage()), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DgApiException(0, "interrupted", "interrupted", null, null);
        }
    }

    private void authorize(HttpRequest.Builder b) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (tenant != null) {
            b.header("x-tenant-id", tenant);
        }
    }

    // --- transport ----------------------------------------------------------------------------------

    /** Sends a request with this client's credentials; retries transient failures; throws on error answers. */
    public ApiResponse send(String method, String path, Map<String, String> query, Json body) {
        return send(method, path, query, body, Map.of());
    }

    /** As {@link #send(String, String, Map, Json)} with extra request headers. */
    public ApiResponse send(String method, String path, Map<String, String> query, Json body, Map<String, String> headers) {
        HttpRequest request = build(method, path, query, body, headers);
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = observe(http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
                Json parsed = r.body().isEmpty() ? JsonObject.empty() : parseLenient(r.body());
                if (r.statusCode() < 400 || r.uri().getPath().equals("/api/readyz")) {
                    return new ApiResponse(r.statusCode(), r.headers().map(), parsed);
                }
                DgApiException e = error(r.statusCode(), parsed);
                if (!e.isTransient() || attempt >= maxAttempts) {
                    throw e;
                }
                sleep(r.headers().firstValue("Retry-After").map(Long::parseLong).map(Duration::ofSeconds)
                        .map(d -> d.compareTo(maxBackoff) > 0 ? maxBackoff : d)
                        .orElse(backoff(attempt)));
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new DgApiException(0, "connection_failed", String.valueOf(e.getMessage()), null, null);
                }
                sleep(backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DgApiException(0, "interrupted", "interrupted", null, null);
            }
        }
    }

    /** One request without retries and without throwing on error statuses (for tests of raw behaviour). */
    public HttpResponse<String> raw(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return observe(http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new DgApiException(0, "connection_failed", String.valueOf(e.getMessage()), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DgApiException(0, "interrupted", "interrupted", null, null);
        }
    }

    private HttpRequest build(String method, String path, Map<String, String> query, Json body, Map<String, String> extra) {
        StringBuilder uri = new StringBuilder(path);
        if (!query.isEmpty()) {
            String sep = "?";
            for (var e : new LinkedHashMap<>(query).entrySet()) {
                uri.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = "&";
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(uri.toString()))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (tenant != null) {
            b.header("x-tenant-id", tenant);
        }
        extra.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(JsonWriter.canonicalLenientBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private static DgApiException error(int status, Json body) {
        if (body instanceof JsonObject o && o.get("error") instanceof JsonObject e) {
            return new DgApiException(status, e.getString("code"), e.getString("message"),
                    e.get("details") instanceof JsonObject d ? d : null, o.getString("request_id"));
        }
        return new DgApiException(status, "http_" + status, "HTTP " + status, null, null);
    }

    private static Json parseLenient(String text) {
        try {
            return JsonParser.parse(text);
        } catch (RuntimeException e) {
            return JsonObject.empty();
        }
    }

    private Duration backoff(int attempt) {
        long ms = Math.min(maxBackoff.toMillis(), 100L << Math.min(attempt, 10));
        return Duration.ofMillis(ms);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The {@code results} array of a batch answer. */
    public static JsonArray results(ApiResponse batch) {
        return batch.data().getArray("results");
    }
}
