package org.decisiongraph.projection;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.log.EventLog;

/**
 * The {@link EventFeed} of one tenant of an {@link EventLog} (SQLite or Postgres): keyset pages by log_seq, trace
 * reads and {@link #nextTraceSeq} through the log's {@code (tenant_id, trace_id, trace_seq)} index.
 */
public final class EventLogFeed implements EventFeed {
    private final EventLog log;
    private final String tenant;

    public EventLogFeed(EventLog log, String tenant) {
        this.log = Objects.requireNonNull(log, "log");
        this.tenant = EventLog.normalizeTenant(tenant);
    }

    public String tenantId() {
        return tenant;
    }

    @Override
    public List<StoredEvent> read(long afterLogSeq, long untilLogSeq, int limit) {
        if (afterLogSeq >= untilLogSeq) {
            return List.of();
        }
        Long until = untilLogSeq == Long.MAX_VALUE ? null : untilLogSeq;
        Iterator<List<StoredEvent>> pages = log.batches(tenant, afterLogSeq, until, limit).iterator();
        return pages.hasNext() ? pages.next() : List.of();
    }

    @Override
    public String redactedPayloadHash(StoredEvent event) {
        return log.redactedPayloadHash(tenant, event.logSeq());
    }

    @Override
    public long lastLogSeq() {
        return log.lastLogSeq(tenant);
    }

    @Override
    public List<StoredEvent> eventsOf(String traceId) {
        return log.traceEvents(tenant, traceId);
    }

    @Override
    public long nextTraceSeq(String traceId, long beforeLogSeq) {
        long next = 0;
        for (StoredEvent e : log.traceEvents(tenant, traceId)) {
            if (e.logSeq() < beforeLogSeq) {
                next = Math.max(next, e.traceSeq() + 1);
            }
        }
        return next;
    }
}
