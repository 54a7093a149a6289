package org.decisiongraph.store.log;

import java.time.Clock;
import java.util.List;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.Database;

/**
 * The append-only, multi-tenant event log. Every call names its tenant ({@code null} means
 * {@value #DEFAULT_TENANT}; the id is trimmed; blank fails with {@code tenant_id cannot be empty}).
 *
 * <p>Appends run the pipeline of core spec 5.1 in its exact order: validation (steps 1-5, plus the payload
 * size limit), idempotent reuse, finish lock, sequencing, insert. Each tenant's {@code log_seq} runs 1, 2,
 * 3... without gaps in commit order: a rejected event consumes no number, and a reader following
 * {@code log_seq} never skips an event that commits late.
 *
 * <p>Implementations are thread-safe; any number of threads and processes may append.
 */
public interface EventLog {
    String DEFAULT_TENANT = "default";
    int MAX_LIMIT = 10_000;
    int DEFAULT_BATCH_SIZE = 1000;

    /** The log of {@code db}, accepting the event types of {@code types}, stamping {@code recorded_at} from {@code clock}. */
    static EventLog open(Database db, EventTypeSet types, Clock clock) {
        return new SqlEventLog(db, types, clock);
    }

    /** The event types this log accepts (reference set for parity, platform set for the service). */
    EventTypeSet eventTypes();

    // --- appends ----------------------------------------------------------------------------------

    /**
     * Appends one event: {@link AppendOutcome.Appended} or, for an idempotent retry,
     * {@link AppendOutcome.Reused}. A rejection throws its {@code DgException} and writes nothing.
     */
    AppendOutcome append(String tenant, EventEnvelope envelope);

    /**
     * Appends events in order, one outcome per event. Events may build on earlier events of the same
     * batch (a trace's seq 0, 1, 2...). All accepted events commit together in one transaction; rejected
     * ones are reported and leave no trace.
     */
    default List<AppendOutcome> appendBatch(String tenant, List<EventEnvelope> envelopes) {
        return appendBatch(tenant, envelopes, false);
    }

    /**
     * As {@link #appendBatch(String, List)}; with {@code stopAtFirstRejection} the batch ends at the first
     * rejected event: the outcomes stop there and no later event is attempted.
     */
    List<AppendOutcome> appendBatch(String tenant, List<EventEnvelope> envelopes, boolean stopAtFirstRejection);

    // --- reads ------------------------------------------------------------------------------------

    /** All events of a trace by {@code trace_seq}; empty for an unknown trace. */
    default List<StoredEvent> traceEvents(String tenant, String traceId) {
        return traceEvents(tenant, traceId, null, null);
    }

    /** Events of a trace with {@code trace_seq > sinceTraceSeq} (null: from the start), at most {@code limit} (1..10000, null: all). */
    List<StoredEvent> traceEvents(String tenant, String traceId, Long sinceTraceSeq, Integer limit);

    /** Events in {@code log_seq} order matching {@code query}. */
    List<StoredEvent> listEvents(String tenant, EventQuery query);

    /**
     * The events with {@code sinceLogSeq < log_seq <= untilLogSeq} (null: to the end) in pages of
     * {@code batchSize}, fetched lazily by keyset pagination: iterating over millions of events holds one
     * page in memory. No event is dropped or repeated.
     */
    Iterable<List<StoredEvent>> batches(String tenant, long sinceLogSeq, Long untilLogSeq, int batchSize);

    /** The tenant's highest {@code log_seq}, or 0. */
    long lastLogSeq(String tenant);

    /**
     * The payload hash the stored payload of a redacted event has (its last redaction record's
     * {@code after_payload_hash}); null when the event was never redacted. Readers that recompute payload hashes
     * accept a payload that hashes to this value instead of the event's {@code payload_hash}
     * (docs/OPERATIONS.md, "Redaction"); {@code dg verify} checks the records themselves.
     */
    default String redactedPayloadHash(String tenant, long logSeq) {
        return null;
    }

    /** Whether the trace has a {@code TraceFinished} event (false for unknown traces). */
    boolean isTraceFinished(String tenant, String traceId);

    /** The {@code trace_seq} the next event of the trace must carry: highest + 1, or 0. */
    long nextTraceSeq(String tenant, String traceId);

    /** Number of events of the tenant. */
    long eventCount(String tenant);

    /** Number of distinct traces of the tenant. */
    long traceCount(String tenant);

    // --- argument rules shared by implementations -------------------------------------------------

    /** Trims a tenant id; null means {@value #DEFAULT_TENANT}; blank fails. */
    static String normalizeTenant(String tenant) {
        if (tenant == null) {
            return DEFAULT_TENANT;
        }
        String t = tenant.strip();
        if (t.isEmpty()) {
            throw DgErrors.tenantEmpty();
        }
        return t;
    }

    /** Query limits are 1..10000. */
    static void checkLimit(long limit) {
        if (limit <= 0) {
            throw DgErrors.limitNotPositive(limit);
        }
        if (limit > MAX_LIMIT) {
            throw DgErrors.limitTooLarge(limit);
        }
    }
}
