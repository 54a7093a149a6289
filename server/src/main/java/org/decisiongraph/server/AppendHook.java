package org.decisiongraph.server;

import java.util.List;

import org.decisiongraph.core.event.StoredEvent;

/**
 * Told after events were appended over HTTP (one call per request, after the last append), so that a
 * projection runtime can sync its workers. Returns whether every sync could be triggered; the API reports
 * it as {@code projection_sync_triggered}. Must not throw; a throwing hook counts as {@code false}.
 */
@FunctionalInterface
public interface AppendHook {
    /** No projection runtime attached: nothing is synced, {@code projection_sync_triggered} is false. */
    AppendHook NONE = (tenant, events) -> false;

    boolean eventsAppended(String tenant, List<StoredEvent> events);
}
