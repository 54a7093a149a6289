package org.decisiongraph.server;

import org.decisiongraph.core.json.Json;

/**
 * The projection health of a tenant as healthz shows it (projections spec 5.3). Supplied by the
 * projection runtime once it is wired in; until then healthz reports
 * {@code {"status": "unavailable", "reason": "projections_not_wired"}}.
 */
@FunctionalInterface
public interface ProjectionHealthSource {
    ProjectionHealthSource NONE = tenant -> null;

    /** The health object, or null when no projection runtime is attached. May throw {@code DgException}. */
    Json health(String tenant);

    /** The runtime snapshot ({@code active_workers, active_replay_jobs, partition_count, projections}), or null. */
    default Json runtimeSnapshot() {
        return null;
    }
}
