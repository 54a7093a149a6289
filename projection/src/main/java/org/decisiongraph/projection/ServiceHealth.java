package org.decisiongraph.projection;

import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ProjectionRun;

/**
 * The service's health view of one tenant (projections spec 5.3, HTTP {@code GET /api/v1/projections/health}):
 * the log's last log_seq, the stored full_projection checkpoint, one status per projection in canonical order and
 * the open replay runs. Digest fields are null before the first checkpoint.
 */
public record ServiceHealth(String tenantId, long eventLogLastSeq, String fullDigest, List<Status> projections,
                            List<ProjectionRun> openRuns) {

    public ServiceHealth {
        Objects.requireNonNull(tenantId, "tenantId");
        projections = List.copyOf(projections);
        openRuns = List.copyOf(openRuns);
    }

    /** One projection: its durable cursor, lag, checkpoint row and open failures. */
    public record Status(ProjectionName projection, long lastLogSeq, long eventLogLastSeq, String updatedAt, String digest,
                         long openFailures) {
        public long pendingEvents() {
            return Math.max(eventLogLastSeq - lastLogSeq, 0);
        }

        public boolean isStale() {
            return lastLogSeq < eventLogLastSeq;
        }

        public JsonObject toJson() {
            return JsonObject.builder()
                    .put("projection_name", projection.wireName())
                    .put("last_log_seq", lastLogSeq)
                    .put("pending_events", pendingEvents())
                    .put("is_stale", isStale())
                    .put("updated_at", Json.ofNullable(updatedAt))
                    .put("digest", Json.ofNullable(digest))
                    .put("open_failures", openFailures)
                    .build();
        }
    }

    public JsonObject toJson() {
        return JsonObject.builder()
                .put("tenant_id", tenantId)
                .put("event_log_last_seq", eventLogLastSeq)
                .put("full_digest", Json.ofNullable(fullDigest))
                .put("projections", Json.array(projections.stream().map(Status::toJson).toList()))
                .put("open_runs", Json.array(openRuns.stream().map(ServiceHealth::runJson).toList()))
                .build();
    }

    private static JsonObject runJson(ProjectionRun r) {
        return JsonObject.builder()
                .put("job_id", r.jobId())
                .put("projection_name", r.projectionName())
                .put("mode", r.mode())
                .put("status", r.status())
                .put("requested_at", r.requestedAt())
                .put("started_at", Json.ofNullable(r.startedAt()))
                .put("processed_events", r.processedEvents())
                .put("last_log_seq", r.lastLogSeq())
                .put("until_log_seq", r.untilLogSeq() == null ? JsonNull.INSTANCE : Json.of(r.untilLogSeq()))
                .build();
    }
}
