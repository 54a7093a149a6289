package org.decisiongraph.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;

/**
 * The OpenAPI 3.1 document, built from the route table: every registered route appears with its
 * parameters, body, success envelope, headers and error responses; nothing else does.
 */
final class OpenApiDocument {
    private OpenApiDocument() {
    }

    static JsonObject build(List<RouteSpec> routes, String version) {
        Map<String, JsonObject.Builder> paths = new LinkedHashMap<>();
        Map<String, Map<String, Json>> byPath = new LinkedHashMap<>();
        for (RouteSpec r : routes) {
            byPath.computeIfAbsent(r.path(), p -> new LinkedHashMap<>()).put(r.method().toLowerCase(java.util.Locale.ROOT),
                    operation(r));
        }
        JsonObject.Builder pathsJson = JsonObject.builder();
        byPath.forEach((p, ops) -> pathsJson.put(p, JsonObject.of(ops)));
        paths.clear();
        return JsonObject.builder()
                .put("openapi", "3.1.0")
                .put("info", JsonObject.builder()
                        .put("title", "DecisionGraph API")
                        .put("version", version)
                        .put("description", "Append-only, hash-verified decision event log. Success bodies are "
                                + "{\"data\": ..., \"request_id\": ...}; errors are {\"error\": {code, message, details}, "
                                + "\"request_id\"}. An idempotent re-append answers 201 with Idempotent-Replay: true.")
                        .build())
                .put("paths", pathsJson.build())
                .put("components", components())
                .build();
    }

    private static Json operation(RouteSpec r) {
        List<Json> params = new ArrayList<>();
        for (String p : r.pathParams()) {
            params.add(param(p, "path", true, "string", "Percent-encoded path segment"));
        }
        for (String q : r.queryParams()) {
            boolean integer = q.endsWith("_seq") || q.equals("limit");
            params.add(param(q, "query", false, integer ? "integer" : "string", null));
        }
        params.add(ref("#/components/parameters/RequestId"));
        if (isAppend(r)) {
            params.add(ref("#/components/parameters/Prefer"));
        }
        if (r.access().usesAccounts()) {
            params.add(ref("#/components/parameters/TenantId"));
        }
        JsonObject.Builder op = JsonObject.builder()
                .put("operationId", operationId(r))
                .put("summary", r.summary())
                .put("tags", Json.strings(List.of(r.tag())))
                .put("x-dg-access", r.access().name().toLowerCase(java.util.Locale.ROOT));
        if (r.access().rateScope() != null) {
            op.put("x-dg-rate-scope", r.access().rateScope());
        }
        if (r.permission() != null) {
            op.put("x-dg-permission", r.permission());
        }
        op.put("parameters", Json.array(params));
        if (r.access().usesAccounts()) {
            op.put("security", Json.array(List.of(JsonObject.builder().put("bearer", Json.array(List.of())).build())));
        } else if (r.access() == Access.METRICS) {
            op.put("security", Json.array(List.of(JsonObject.builder().put("metricsToken", Json.array(List.of())).build())));
        } else {
            op.put("security", Json.array(List.of()));
        }
        if (r.requestSchema() != null) {
            op.put("requestBody", JsonObject.builder()
                    .put("required", true)
                    .put("content", JsonObject.builder()
                            .put("application/json", schemaOf(ref("#/components/schemas/" + r.requestSchema())))
                            .build())
                    .build());
        }
        JsonObject.Builder responses = JsonObject.builder();
        responses.put(Integer.toString(r.successStatus()), success(r));
        for (int status : errorStatuses(r)) {
            responses.put(Integer.toString(status), ref("#/components/responses/Error" + status));
        }
        op.put("responses", responses.build());
        return op.build();
    }

    /** The two append routes, which honour {@code Prefer: return=minimal}. */
    private static boolean isAppend(RouteSpec r) {
        return r.method().equals("POST") && (r.path().equals("/api/v1/events") || r.path().equals("/api/v1/events/batch"));
    }

    private static List<Integer> errorStatuses(RouteSpec r) {
        List<Integer> out = new ArrayList<>();
        switch (r.access()) {
            case PUBLIC -> {
                if (r.path().equals("/api/readyz")) {
                    out.add(503);
                }
                out.add(406);
            }
            case METRICS -> {
                out.add(401);
                out.add(404);
            }
            default -> {
                out.addAll(List.of(400, 401, 403, 404, 406, 409));
                if ("POST".equals(r.method())) {
                    out.addAll(List.of(413, 422));
                }
                out.addAll(List.of(429, 503));
            }
        }
        out.add(500);
        return out.stream().distinct().sorted().toList();
    }

    private static Json success(RouteSpec r) {
        JsonObject.Builder resp = JsonObject.builder().put("description", r.summary());
        JsonObject.Builder headers = JsonObject.builder().put("x-request-id", ref("#/components/headers/RequestId"));
        if (r.path().equals("/api/v1/events") && r.method().equals("POST")) {
            headers.put("Idempotent-Replay", ref("#/components/headers/IdempotentReplay"));
        }
        if (isAppend(r)) {
            headers.put(EventsApi.PREFERENCE_APPLIED, ref("#/components/headers/PreferenceApplied"));
        }
        resp.put("headers", headers.build());
        Json schema;
        if (!r.isJson()) {
            resp.put("content", JsonObject.builder().put(r.produces(), schemaOf(JsonObject.builder().put("type", "string").build())).build());
            return resp.build();
        }
        Json data = r.responseSchema() == null ? JsonObject.builder().put("type", "object").build()
                : ref("#/components/schemas/" + r.responseSchema());
        boolean raw = r.access() == Access.PUBLIC;
        schema = raw ? data : JsonObject.builder()
                .put("type", "object")
                .put("required", Json.strings(List.of("data", "request_id")))
                .put("properties", JsonObject.builder().put("data", data)
                        .put("request_id", JsonObject.builder().put("type", "string").build()).build())
                .build();
        resp.put("content", JsonObject.builder().put("application/json", schemaOf(schema)).build());
        return resp.build();
    }

    private static String operationId(RouteSpec r) {
        StringBuilder b = new StringBuilder(r.method().toLowerCase(java.util.Locale.ROOT));
        for (String part : r.path().split("[/{}_.-]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }

    private static Json param(String name, String in, boolean required, String type, String description) {
        JsonObject.Builder b = JsonObject.builder().put("name", name).put("in", in).put("required", required)
                .put("schema", JsonObject.builder().put("type", type).build());
        if (description != null) {
            b.put("description", description);
        }
        return b.build();
    }

    private static JsonObject ref(String target) {
        return JsonObject.builder().put("$ref", target).build();
    }

    private static JsonObject schemaOf(Json schema) {
        return JsonObject.builder().put("schema", schema).build();
    }

    // --- components ---------------------------------------------------------------------------------

    private static final Map<Integer, String> ERROR_TEXT = Map.ofEntries(
            Map.entry(400, "invalid_argument (missing x-tenant-id, bad field types, bad parameters, malformed JSON, Invalid cursor)"),
            Map.entry(401, "unauthorized (Authentication required, Bearer format, Unknown service account token)"),
            Map.entry(403, "forbidden (tenant access, required role, missing permission)"),
            Map.entry(404, "not_found (unknown route, unknown or foreign object)"),
            Map.entry(406, "not_acceptable (Accept header must allow application/json)"),
            Map.entry(409, "conflict, idempotency_conflict, event_sequence_invalid, projection_out_of_date"),
            Map.entry(413, "payload_too_large (Request body exceeds 8000000 bytes)"),
            Map.entry(422, "schema_violation, pii_policy_violation"),
            Map.entry(429, "rate_limited (Rate limit exceeded for <scope> API scope), with Retry-After"),
            Map.entry(500, "internal_error (Internal server error)"),
            Map.entry(503, "storage, or not_ready for /api/readyz"));

    private static JsonObject components() {
        JsonObject.Builder responses = JsonObject.builder();
        ERROR_TEXT.keySet().stream().sorted().forEach(status -> {
            JsonObject.Builder headers = JsonObject.builder().put("x-request-id", ref("#/components/headers/RequestId"));
            if (status == 429) {
                headers.put("Retry-After", ref("#/components/headers/RetryAfter"));
            }
            responses.put("Error" + status, JsonObject.builder()
                    .put("description", ERROR_TEXT.get(status))
                    .put("headers", headers.build())
                    .put("content", JsonObject.builder().put("application/json",
                            schemaOf(ref(status == 503 ? "#/components/schemas/ErrorOrReadiness" : "#/components/schemas/ErrorEnvelope")))
                            .build())
                    .build());
        });
        return JsonObject.builder()
                .put("securitySchemes", JsonObject.builder()
                        .put("bearer", JsonObject.builder().put("type", "http").put("scheme", "bearer")
                                .put("description", "Service-account token (Authorization: Bearer <token>)").build())
                        .put("metricsToken", JsonObject.builder().put("type", "http").put("scheme", "bearer")
                                .put("description", "DG_METRICS_TOKEN").build())
                        .build())
                .put("parameters", JsonObject.builder()
                        .put("TenantId", param("x-tenant-id", "header", true, "string", "Tenant of the request (trimmed)"))
                        .put("RequestId", param("x-request-id", "header", false, "string",
                                "1-200 visible ASCII characters; otherwise a generated 16-character id is used"))
                        .put("Prefer", param("Prefer", "header", false, "string",
                                "RFC 7240. return=minimal answers each stored event with event_id, log_seq, payload_hash, "
                                        + "recorded_at, tenant_id, trace_id and trace_seq only (no payload, actor, source, ...); "
                                        + "without it the whole stored event is returned"))
                        .build())
                .put("headers", JsonObject.builder()
                        .put("RequestId", header("string", "The request id (also in every envelope)"))
                        .put("IdempotentReplay", header("string", "true when an idempotent re-append returned the stored event"))
                        .put("RetryAfter", header("integer", "Seconds until the rate-limit window ends"))
                        .put("PreferenceApplied", header("string", "return=minimal when the request preferred it"))
                        .build())
                .put("responses", responses.build())
                .put("schemas", Schemas.all())
                .build();
    }

    private static JsonObject header(String type, String description) {
        return JsonObject.builder().put("description", description)
                .put("schema", JsonObject.builder().put("type", type).build()).build();
    }
}
