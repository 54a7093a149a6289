package org.decisiongraph.projection.runtime;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.runtime.RuntimeStore;

/** The wire shapes of runs, failures and verifications (platform spec 1.9, 1.15.5, 1.15.6). */
public final class RuntimeJson {
    private RuntimeJson() {
    }

    /** The Run object: the row, {@code metadata_json} as a canonical-JSON string plus {@code metadata} as an object. */
    public static JsonObject run(RuntimeStore.Run r) {
        return JsonObject.builder()
                .put("job_id", r.jobId())
                .put("tenant_id", r.tenantId())
                .put("projection_name", r.projectionName())
                .put("mode", r.mode())
                .put("status", r.status())
                .put("requested_at", r.requestedAt())
                .put("started_at", Json.ofNullable(r.startedAt()))
                .put("finished_at", Json.ofNullable(r.finishedAt()))
                .put("since_log_seq", r.sinceLogSeq())
                .put("until_log_seq", r.untilLogSeq() == null ? JsonNull.INSTANCE : Json.of(r.untilLogSeq()))
                .put("processed_events", r.processedEvents())
                .put("last_log_seq", r.lastLogSeq())
                .put("error_code", Json.ofNullable(r.errorCode()))
                .put("error_message", Json.ofNullable(r.errorMessage()))
                .put("metadata_json", r.metadataJson())
                .put("metadata", JsonParser.parse(r.metadataJson()))
                .build();
    }

    /** The open-run entry of the health view (projections spec 5.3). */
    public static JsonObject openRun(RuntimeStore.Run r) {
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

    public static JsonObject failure(RuntimeStore.Failure f) {
        return JsonObject.builder()
                .put("id", f.id())
                .put("tenant_id", f.tenantId())
                .put("projection_name", f.projectionName())
                .put("log_seq", f.logSeq() == null ? JsonNull.INSTANCE : Json.of(f.logSeq()))
                .put("trace_id", Json.ofNullable(f.traceId()))
                .put("event_id", Json.ofNullable(f.eventId()))
                .put("error_code", f.errorCode())
                .put("error_message", f.errorMessage())
                .put("recoverable", f.recoverable())
                .put("retry_count", f.retryCount())
                .put("status", f.status())
                .put("metadata_json", f.metadataJson())
                .put("metadata", JsonParser.parse(f.metadataJson()))
                .put("recorded_at", f.recordedAt())
                .put("resolved_at", Json.ofNullable(f.resolvedAt()))
                .build();
    }

    public static JsonObject verification(RuntimeStore.Verification v) {
        return JsonObject.builder()
                .put("verification_id", v.verificationId())
                .put("tenant_id", v.tenantId())
                .put("projection", v.projection())
                .put("status", v.status())
                .put("requested_at", v.requestedAt())
                .put("started_at", Json.ofNullable(v.startedAt()))
                .put("finished_at", Json.ofNullable(v.finishedAt()))
                .put("reason", Json.ofNullable(v.reason()))
                .put("request_id", Json.ofNullable(v.requestId()))
                .put("requested_by_account_id", Json.ofNullable(v.requestedByAccountId()))
                .put("results", JsonParser.parse(v.resultsJson()))
                .put("error_code", Json.ofNullable(v.errorCode()))
                .put("error_message", Json.ofNullable(v.errorMessage()))
                .build();
    }
}
