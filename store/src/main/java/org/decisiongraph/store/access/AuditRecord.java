package org.decisiongraph.store.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;

/**
 * One audit row to append (platform spec 2.6). {@code tenantId} null puts it on the {@code _platform}
 * chain. {@code outcome} is {@code accepted}, {@code rejected} or {@code denied}.
 */
public record AuditRecord(String tenantId, Instant recordedAt, String actorKind, String actorId, List<String> actorRoles,
                          String action, String targetType, String targetId, String outcome, String reason,
                          String errorCode, String requestId, String clientAddress, JsonObject details) {
    public static final String PLATFORM_CHAIN = "_platform";

    public AuditRecord {
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(actorKind, "actorKind");
        actorRoles = List.copyOf(actorRoles);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        details = details == null ? JsonObject.empty() : details;
    }

    public String chainId() {
        return tenantId == null ? PLATFORM_CHAIN : tenantId;
    }
}
