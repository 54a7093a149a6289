package org.decisiongraph.projection;

import org.decisiongraph.store.readmodel.ProjectionName;

/**
 * The outcome of catching one projection up: its cursor afterwards, how many events it processed, and how many
 * events of the log it still lags behind ({@code max(last_log_seq - cursor, 0)}).
 */
public record CatchUpResult(ProjectionName projection, long lastLogSeq, long processedEvents, long pendingEvents) {
}
