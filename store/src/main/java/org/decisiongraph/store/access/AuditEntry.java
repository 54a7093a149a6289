package org.decisiongraph.store.access;

import java.util.Objects;

import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;

/** A stored audit row: the record, its id, chain and hash link. */
public record AuditEntry(long auditId, String chainId, AuditRecord record, String prevHash, String entryHash) {
    /** {@code prev_hash} of the first row of a chain. */
    public static final String GENESIS = "sha256:" + "0".repeat(64);

    public AuditEntry {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(entryHash, "entryHash");
    }

    /**
     * The row's columns other than {@code prev_hash} and {@code entry_hash}, as hashed:
     * {@code entry_hash = sha256(prev_hash + "\n" + canonical JSON of this object)}. {@code recorded_at} is
     * RFC 3339 with six fractional digits; the two JSON columns are their stored text.
     */
    public static JsonObject hashedColumns(long auditId, String chainId, AuditRecord r) {
        return JsonObject.builder()
                .put("audit_id", auditId)
                .put("chain_id", chainId)
                .put("tenant_id", Json.ofNullable(r.tenantId()))
                .put("recorded_at", Timestamps.toRfc3339(r.recordedAt()))
                .put("actor_kind", r.actorKind())
                .put("actor_id", Json.ofNullable(r.actorId()))
                .put("actor_roles_json", rolesJson(r))
                .put("action", r.action())
                .put("target_type", Json.ofNullable(r.targetType()))
                .put("target_id", Json.ofNullable(r.targetId()))
                .put("outcome", r.outcome())
                .put("reason", Json.ofNullable(r.reason()))
                .put("error_code", Json.ofNullable(r.errorCode()))
                .put("request_id", Json.ofNullable(r.requestId()))
                .put("client_address", Json.ofNullable(r.clientAddress()))
                .put("details_json", detailsJson(r))
                .build();
    }

    static String rolesJson(AuditRecord r) {
        return JsonWriter.canonical(Json.strings(r.actorRoles()));
    }

    static String detailsJson(AuditRecord r) {
        return JsonWriter.canonical(r.details());
    }

    /** {@code sha256:<hex>} of {@code prevHash + "\n" + canonical(hashedColumns)}. */
    public static String entryHash(String prevHash, long auditId, String chainId, AuditRecord r) {
        return org.decisiongraph.core.json.Hashing.sha256(prevHash + "\n" + JsonWriter.canonical(hashedColumns(auditId, chainId, r)));
    }

    /** The row as the API shows it ({@code AuditEntry} of platform spec 1.15.11). */
    public JsonObject toJson() {
        return hashedColumns(auditId, chainId, record).with("prev_hash", Json.of(prevHash))
                .with("entry_hash", Json.of(entryHash));
    }
}
