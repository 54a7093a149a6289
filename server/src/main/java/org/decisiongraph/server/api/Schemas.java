package org.decisiongraph.server.api;

import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;

/** Component schemas of the OpenAPI document (shapes of platform spec 1.3, 1.4, 1.15). */
final class Schemas {
    private Schemas() {
    }

    static JsonObject all() {
        JsonObject str = type("string");
        JsonObject nstr = JsonObject.builder().put("type", Json.strings(List.of("string", "null"))).build();
        JsonObject integer = type("integer");
        JsonObject bool = type("boolean");
        JsonObject obj = type("object");
        JsonObject strings = JsonObject.builder().put("type", "array").put("items", str).build();
        JsonObject base = JsonObject.builder()
                .put("ErrorBody", object(List.of("code", "message", "details"), "code", str, "message", str, "details", obj))
                .put("ErrorEnvelope", object(List.of("error", "request_id"), "error", ref("ErrorBody"), "request_id", str))
                .put("ErrorOrReadiness", JsonObject.builder().put("oneOf", Json.array(List.of(
                        ref("ErrorEnvelope"), ref("Readiness")))).build())
                .put("Actor", object(List.of("actor_type", "actor_id"), "actor_type", str, "actor_id", str))
                .put("Source", object(List.of("producer_id", "system"), "producer_id", str, "system", str, "subsystem", nstr))
                .put("EventIngestRequest", object(List.of("event_id", "event_type", "trace_id", "trace_seq", "occurred_at",
                                "idempotency_key", "actor", "source", "payload"),
                        "event_id", str, "event_type", str, "trace_id", str,
                        "trace_seq", JsonObject.builder().put("type", "integer").put("minimum", 0).build(),
                        "occurred_at", str, "idempotency_key", str, "actor", ref("Actor"), "source", ref("Source"),
                        "payload", obj, "causation_event_id", nstr, "correlation_id", nstr,
                        "schema_version", JsonObject.builder().put("type", "integer").put("minimum", 1).put("default", 1).build(),
                        "tags", JsonObject.builder().put("type", "array").put("items", str).put("default", Json.array(List.of())).build()))
                .put("StoredEvent", object(List.of("event_id", "log_seq", "tenant_id"),
                        "actor", ref("Actor"), "causation_event_id", nstr, "correlation_id", nstr, "event_id", str,
                        "event_type", str, "idempotency_key", str, "log_seq", integer, "occurred_at", str, "payload", obj,
                        "payload_hash", str, "recorded_at", str, "schema_version", integer, "source", ref("Source"),
                        "tags", strings, "tenant_id", str, "trace_id", str, "trace_seq", integer))
                .put("AppendResult", object(List.of("event", "projection_sync_triggered"),
                        "event", ref("StoredEvent"), "projection_sync_triggered", bool))
                .put("BatchAppendRequest", object(List.of("events"),
                        "events", JsonObject.builder().put("type", "array").put("minItems", 1).put("maxItems", 1000)
                                .put("items", ref("EventIngestRequest")).build(),
                        "stop_on_error", JsonObject.builder().put("type", "boolean").put("default", false).build()))
                .put("BatchAppendResult", object(List.of("results", "summary", "projection_sync_triggered"),
                        "results", JsonObject.builder().put("type", "array").put("items", object(List.of("index", "outcome"),
                                "index", integer,
                                "outcome", JsonObject.builder().put("enum", Json.strings(List.of("appended", "reused", "rejected", "skipped"))).build(),
                                "event", JsonObject.builder().put("oneOf", Json.array(List.of(ref("StoredEvent"), type("null")))).build(),
                                "error", JsonObject.builder().put("oneOf", Json.array(List.of(ref("ErrorBody"), type("null")))).build()))
                                .build(),
                        "summary", object(List.of(), "appended", integer, "reused", integer, "rejected", integer, "skipped", integer),
                        "projection_sync_triggered", bool))
                .put("EventPage", object(List.of("events", "next_cursor"),
                        "events", JsonObject.builder().put("type", "array").put("items", ref("StoredEvent")).build(),
                        "next_cursor", nstr))
                .put("Health", object(List.of("auth", "deployment_env", "observability", "projection_health", "projector", "store"),
                        "auth", obj, "deployment_env", str, "observability", obj, "projection_health", obj, "projector", obj,
                        "store", obj))
                .put("Readiness", object(List.of("status", "checks"), "status", str, "checks", obj))
                .put("Tenant", object(List.of("tenant_id", "origin"), "tenant_id", str, "display_name", nstr,
                        "origin", JsonObject.builder().put("enum", Json.strings(List.of("api", "implicit", "config"))).build(),
                        "created_at", nstr, "created_by", nstr))
                .put("TenantList", object(List.of("tenants"), "tenants",
                        JsonObject.builder().put("type", "array").put("items", ref("Tenant")).build(), "next_cursor", nstr))
                .put("TenantCreateRequest", object(List.of("tenant_id"), "tenant_id",
                        JsonObject.builder().put("type", "string").put("pattern", TenantsApi.TENANT_ID.pattern()).build(),
                        "display_name", str, "reason", str))
                .put("TenantCreated", object(List.of("tenant"), "tenant", ref("Tenant")))
                .put("AccountKey", object(List.of("key_id", "display_prefix"), "key_id", str, "display_prefix", str,
                        "created_at", str, "created_by", nstr, "expires_at", nstr, "revoked_at", nstr, "last_used_at", nstr))
                .put("ServiceAccount", object(List.of("account_id", "roles", "permissions", "tenant_ids", "status", "keys"),
                        "account_id", str, "display_name", nstr, "roles", strings, "permissions", strings,
                        "tenant_ids", strings, "status", str, "created_at", str, "created_by", nstr,
                        "keys", JsonObject.builder().put("type", "array").put("items", ref("AccountKey")).build()))
                .put("ServiceAccountList", object(List.of("accounts"), "accounts",
                        JsonObject.builder().put("type", "array").put("items", ref("ServiceAccount")).build(), "next_cursor", nstr))
                .put("ServiceAccountOne", object(List.of("account"), "account", ref("ServiceAccount")))
                .put("IssuedKey", object(List.of("key_id", "token", "display_prefix"), "key_id", str,
                        "token", str, "display_prefix", str, "expires_at", nstr))
                .put("ServiceAccountWithKey", object(List.of("account", "key"), "account", ref("ServiceAccount"),
                        "key", ref("IssuedKey")))
                .put("ServiceAccountCreateRequest", object(List.of("account_id", "roles", "tenant_ids"),
                        "account_id", str, "display_name", str, "roles", strings, "permissions", strings,
                        "tenant_ids", strings, "expires_at", str, "reason", str))
                .put("KeyCreateRequest", object(List.of(), "expires_at", str, "reason", str))
                .put("ReasonRequest", object(List.of(), "reason", str))
                .put("AuditEntry", object(List.of("audit_id", "chain_id", "action", "outcome", "prev_hash", "entry_hash"),
                        "audit_id", integer, "chain_id", str, "tenant_id", nstr, "recorded_at", str, "actor_kind", str,
                        "actor_id", nstr, "actor_roles_json", str, "action", str, "target_type", nstr, "target_id", nstr,
                        "outcome", str, "reason", nstr, "error_code", nstr, "request_id", nstr, "client_address", nstr,
                        "details_json", str, "prev_hash", str, "entry_hash", str))
                .put("RedactionRequest", object(List.of("event_id", "field", "reason"), "event_id", str,
                        "field", str, "reason", str))
                .put("Redaction", object(List.of("redaction_id", "log_seq", "event_id", "field_path", "record_hash"),
                        "redaction_id", str, "tenant_id", str, "log_seq", integer, "seq", integer, "event_id", str,
                        "field_path", str, "reason", str, "actor_id", str, "redacted_at", str, "original_payload_hash", str,
                        "before_payload_hash", str, "after_payload_hash", str, "value_commitment", str, "record_hash", str,
                        "audit_id", integer))
                .put("RedactionResult", object(List.of("redaction", "value_salt", "projection_rebuild"),
                        "redaction", ref("Redaction"), "value_salt", str, "projection_rebuild", obj))
                .put("RedactionList", object(List.of("redactions"), "redactions",
                        JsonObject.builder().put("type", "array").put("items", ref("Redaction")).build()))
                .put("RetentionPolicy", object(List.of("tenant_id", "retain_days", "archive_dir"), "tenant_id", str,
                        "retain_days", integer, "archive_dir", str, "updated_at", str, "updated_by", str))
                .put("RetentionPolicyRequest", object(List.of("retain_days", "archive_dir"),
                        "retain_days", JsonObject.builder().put("type", "integer").put("minimum", 1).build(),
                        "archive_dir", str))
                .put("RetentionPolicyResult", object(List.of("policy"), "policy", ref("RetentionPolicy")))
                .put("RetentionState", object(List.of("policy", "runs"), "policy",
                        JsonObject.builder().put("oneOf", Json.array(List.of(ref("RetentionPolicy"), type("null")))).build(),
                        "runs", JsonObject.builder().put("type", "array").put("items", obj).build()))
                .put("RetentionRunResult", object(List.of("tenant_id", "cutoff", "removed_events", "removed_traces", "run"),
                        "tenant_id", str, "cutoff", str, "removed_events", integer, "removed_traces", integer,
                        "run", JsonObject.builder().put("type", Json.strings(List.of("object", "null"))).build(),
                        "projection_rebuild", JsonObject.builder().put("type", Json.strings(List.of("object", "null"))).build()))
                .put("AuditLogPage", object(List.of("entries", "next_cursor"), "entries",
                        JsonObject.builder().put("type", "array").put("items", ref("AuditEntry")).build(), "next_cursor", nstr))
                .build();
        java.util.Map<String, Json> merged = new java.util.LinkedHashMap<>(base.members());
        merged.putAll(runtime(str, nstr, integer, bool, obj).members());
        return JsonObject.of(merged);
    }

    /** Shapes of the projection-backed reads and the runtime's operator routes (projections spec 5, platform 1.9, 1.15). */
    private static JsonObject runtime(JsonObject str, JsonObject nstr, JsonObject integer, JsonObject bool, JsonObject obj) {
        JsonObject nint = JsonObject.builder().put("type", Json.strings(List.of("integer", "null"))).build();
        JsonObject objects = JsonObject.builder().put("type", "array").put("items", obj).build();
        return JsonObject.builder()
                .put("EvidenceBundle", object(List.of("format", "tenant_id", "selection", "genesis", "prev_chain_hash", "events",
                                "chain_links", "checkpoint", "projection_digests"),
                        "format", JsonObject.builder().put("enum", Json.strings(List.of("dg.evidence.v1"))).build(),
                        "tenant_id", str, "selection", obj, "genesis", str, "prev_chain_hash", str,
                        "events", JsonObject.builder().put("type", "array").put("items", object(List.of("event_id", "log_seq",
                                        "payload_hash", "event_hash", "chain_hash"), "event_id", str, "log_seq", integer,
                                "payload_hash", str, "event_hash", str, "chain_hash", str, "payload", JsonObject.empty(),
                                "redactions", objects)).build(),
                        "chain_links", JsonObject.builder().put("type", "array").put("items", object(List.of("log_seq",
                                "event_hash", "chain_hash"), "log_seq", integer, "event_hash", str, "chain_hash", str,
                                "removed", bool)).build(),
                        "checkpoint", object(List.of("statement", "signature", "key_id"), "statement", str, "signature", str,
                                "key_id", str),
                        "projection_digests", obj, "review", obj))
                .put("TraceView", object(List.of("events", "summary"), "events",
                        JsonObject.builder().put("type", "array").put("items", ref("StoredEvent")).build(), "summary", obj))
                .put("ContextSubgraph", object(List.of("center", "nodes", "edges", "truncated"), "center", obj,
                        "nodes", objects, "edges", objects, "truncated", bool))
                .put("EdgePage", object(List.of("edges", "next_cursor"), "edges", objects,
                        "next_cursor", JsonObject.builder().put("type", Json.strings(List.of("object", "null"))).build()))
                .put("PrecedentList", object(List.of("precedents"), "precedents", objects))
                .put("ProjectionHealth", object(List.of("tenant_id", "event_log_last_seq", "full_digest", "projections",
                                "open_runs"), "tenant_id", str, "event_log_last_seq", integer, "full_digest", nstr,
                        "projections", JsonObject.builder().put("type", "array").put("items", object(List.of("projection_name",
                                        "last_log_seq", "pending_events", "is_stale", "digest", "open_failures"),
                                "projection_name", str, "last_log_seq", integer, "pending_events", integer, "is_stale", bool,
                                "updated_at", nstr, "digest", nstr, "open_failures", integer)).build(),
                        "open_runs", objects, "workflow_runtime", obj))
                .put("Run", object(List.of("job_id", "tenant_id", "projection_name", "mode", "status", "requested_at",
                                "processed_events", "last_log_seq"),
                        "job_id", str, "tenant_id", str, "projection_name", str,
                        "mode", JsonObject.builder().put("enum", Json.strings(List.of("catch_up", "rebuild"))).build(),
                        "status", str, "requested_at", str, "started_at", nstr, "finished_at", nstr, "since_log_seq", integer,
                        "until_log_seq", nint, "processed_events", integer, "last_log_seq", integer, "error_code", nstr,
                        "error_message", nstr, "metadata_json", str, "metadata", obj))
                .put("ReplayRequest", object(List.of("mode", "reason"),
                        "mode", JsonObject.builder().put("enum", Json.strings(List.of("catch_up", "rebuild"))).build(),
                        "projection", str, "reason", str, "since_log_seq", integer, "until_log_seq", integer, "metadata", obj))
                .put("RunEnvelope", object(List.of("run"), "run", ref("Run")))
                .put("RunList", object(List.of("runs", "next_cursor"), "runs",
                        JsonObject.builder().put("type", "array").put("items", ref("Run")).build(), "next_cursor", nstr))
                .put("Worker", object(List.of("key", "cursor", "status", "retry_count"), "key", obj, "cursor", integer,
                        "last_sync_at", nstr, "last_error", JsonObject.builder().put("type", Json.strings(List.of("object", "null"))).build(),
                        "retry_count", integer, "status", str, "sync_count", integer))
                .put("ProjectorWorkers", object(List.of("runtime", "workers"), "runtime", obj, "workers",
                        JsonObject.builder().put("type", "array").put("items", ref("Worker")).build()))
                .put("Failure", object(List.of("id", "tenant_id", "projection_name", "error_code", "error_message", "status"),
                        "id", str, "tenant_id", str, "projection_name", str, "log_seq", nint, "trace_id", nstr, "event_id", nstr,
                        "error_code", str, "error_message", str, "recoverable", bool, "retry_count", integer, "status", str,
                        "metadata_json", str, "metadata", obj, "recorded_at", str, "resolved_at", nstr))
                .put("FailureEnvelope", object(List.of("failure"), "failure", ref("Failure")))
                .put("FailureList", object(List.of("failures", "next_cursor"), "failures",
                        JsonObject.builder().put("type", "array").put("items", ref("Failure")).build(), "next_cursor", nstr))
                .put("FailureRetry", object(List.of("failure", "worker"), "failure", ref("Failure"), "worker", ref("Worker")))
                .put("Verification", object(List.of("verification_id", "tenant_id", "projection", "status", "requested_at",
                                "results"),
                        "verification_id", str, "tenant_id", str, "projection", str,
                        "status", JsonObject.builder().put("enum", Json.strings(List.of("queued", "running", "passed", "failed",
                                "error"))).build(),
                        "requested_at", str, "started_at", nstr, "finished_at", nstr, "reason", nstr, "request_id", nstr,
                        "requested_by_account_id", nstr, "results", objects, "error_code", nstr, "error_message", nstr))
                .put("VerificationRequest", object(List.of("reason"), "projection", str, "reason", str))
                .put("VerificationEnvelope", object(List.of("verification"), "verification", ref("Verification")))
                .put("VerificationList", object(List.of("verifications", "next_cursor"), "verifications",
                        JsonObject.builder().put("type", "array").put("items", ref("Verification")).build(), "next_cursor", nstr))
                .build();
    }

    private static JsonObject type(String t) {
        return JsonObject.builder().put("type", t).build();
    }

    private static JsonObject ref(String name) {
        return JsonObject.builder().put("$ref", "#/components/schemas/" + name).build();
    }

    private static JsonObject object(List<String> required, Object... props) {
        JsonObject.Builder p = JsonObject.builder();
        for (int i = 0; i < props.length; i += 2) {
            p.put((String) props[i], (Json) props[i + 1]);
        }
        return JsonObject.builder().put("type", "object").put("required", Json.strings(required))
                .put("properties", p.build()).build();
    }
}
