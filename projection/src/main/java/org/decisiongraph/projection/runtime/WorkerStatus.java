package org.decisiongraph.projection.runtime;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;

/**
 * A worker's state as operators see it (projections spec 5.4, platform spec 1.15.5): {@code status} is
 * {@code idle}, {@code retrying}, {@code failed} or {@code stopped}.
 */
public record WorkerStatus(String tenantId, String projection, int partition, long cursor, String lastSyncAt,
                           JsonObject lastError, int retryCount, String status, long syncCount) {

    public JsonObject toJson() {
        return JsonObject.builder()
                .put("key", JsonObject.builder().put("tenant_id", tenantId).put("projection", projection)
                        .put("partition", partition).build())
                .put("cursor", cursor)
                .put("last_sync_at", Json.ofNullable(lastSyncAt))
                .put("last_error", lastError == null ? org.decisiongraph.core.json.JsonNull.INSTANCE : lastError)
                .put("retry_count", retryCount)
                .put("status", status)
                .put("sync_count", syncCount)
                .build();
    }
}
