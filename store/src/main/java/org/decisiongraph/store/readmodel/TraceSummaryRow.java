package org.decisiongraph.store.readmodel;

import java.util.Objects;

/**
 * A row of {@code dg_trace_summary}. {@code primaryEntitySystem} is kept (tenant-scoped layout) but is not
 * part of the trace_summary digest. {@code outcome} and {@code finishedAt} are null while the trace is open;
 * {@code eventCount} is 1 while open and 2 once finished (it is not the number of events of the trace).
 */
public record TraceSummaryRow(
        String traceId,
        String workflow,
        String title,
        String primaryEntityType,
        String primaryEntitySystem,
        String primaryEntityId,
        String outcome,
        String startedAt,
        String finishedAt,
        long eventCount,
        long lastLogSeq) {

    public TraceSummaryRow {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** Whether the trace has an outcome, i.e. qualifies as a precedent. */
    public boolean isFinished() {
        return outcome != null;
    }

    /** The row after a TraceFinished: outcome, finished_at, event_count + 1 and last_log_seq set. */
    public TraceSummaryRow finish(String newOutcome, String newFinishedAt, long logSeq) {
        return new TraceSummaryRow(traceId, workflow, title, primaryEntityType, primaryEntitySystem, primaryEntityId,
                newOutcome, startedAt, newFinishedAt, eventCount + 1, logSeq);
    }

    /** The row after a repeated TraceStarted: event_count + 1 and last_log_seq set, all else unchanged. */
    public TraceSummaryRow restart(long logSeq) {
        return new TraceSummaryRow(traceId, workflow, title, primaryEntityType, primaryEntitySystem, primaryEntityId,
                outcome, startedAt, finishedAt, eventCount + 1, logSeq);
    }
}
