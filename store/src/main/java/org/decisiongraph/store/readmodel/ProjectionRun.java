package org.decisiongraph.store.readmodel;

import java.util.Objects;

/**
 * An open row of {@code dg_projection_runs} (status queued or running), with the fields the service health lists
 * (projections spec 5.3). {@code untilLogSeq} and {@code startedAt} may be null.
 */
public record ProjectionRun(String jobId, String projectionName, String mode, String status, String requestedAt,
                            String startedAt, long processedEvents, long lastLogSeq, Long untilLogSeq) {
    public ProjectionRun {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(projectionName, "projectionName");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
