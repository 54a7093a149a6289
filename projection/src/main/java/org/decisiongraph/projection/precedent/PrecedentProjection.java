package org.decisiongraph.projection.precedent;

import java.util.HashMap;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.readmodel.PrecedentRow;
import org.decisiongraph.store.readmodel.ReadModelWriter;

/**
 * Writes the precedent_index projection: PolicyEvaluated adds a policy-evaluation row (validated first);
 * TraceFinished replaces the trace's precedent rows with the walk over all its events.
 *
 * <p>The walk of a trace whose trace_seq 0 event was projected by this instance is accumulated as its events go
 * by, so a finish needs no read of the log; any other trace (started before a restart, or beyond
 * {@code maxOpenTraces}) is walked from {@link TraceEventSource#eventsOf}. Both give the same rows because a
 * trace's events are contiguous in trace_seq (checked by the projector) and none follow its TraceFinished
 * (the store's finish lock). Not thread-safe; {@link #reset()} after a rolled-back batch.
 */
public final class PrecedentProjection {
    private final TraceEventSource source;
    private final int maxOpenTraces;
    private final HashMap<String, PrecedentWalk> open = new HashMap<>();

    public PrecedentProjection(TraceEventSource source, int maxOpenTraces) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxOpenTraces < 0) {
            throw new IllegalArgumentException("maxOpenTraces must be >= 0, got " + maxOpenTraces);
        }
        this.maxOpenTraces = maxOpenTraces;
    }

    public void apply(StoredEvent event, ReadModelWriter writer) {
        EventType type = EventType.fromWireName(event.eventType());
        if (type == EventType.POLICY_EVALUATED) {
            writer.insertPolicyEvalIfAbsent(PolicyEvalIndex.row(event));
        }
        String traceId = event.traceId();
        PrecedentWalk walk = open.get(traceId);
        if (event.traceSeq() == 0 && open.size() < maxOpenTraces) {
            walk = new PrecedentWalk();
            open.put(traceId, walk);
        }
        if (walk != null) {
            walk.accept(event);
        }
        if (type == EventType.TRACE_FINISHED) {
            open.remove(traceId);
            List<PrecedentRow> rows = walk != null ? walk.rows() : PrecedentWalk.of(source.eventsOf(traceId));
            writer.replacePrecedents(traceId, rows);
        }
    }

    /** Forgets every accumulated walk (after a rollback, or when the cursor moved elsewhere). */
    public void reset() {
        open.clear();
    }

    /** How many traces are being accumulated. */
    public int openTraces() {
        return open.size();
    }
}
