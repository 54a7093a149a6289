package org.decisiongraph.store.log;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.core.validate.EventValidator;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.log.LogAccess.IdemKey;
import org.decisiongraph.store.log.LogAccess.TraceHead;
import org.decisiongraph.store.sql.Handle;
import org.decisiongraph.store.sql.SqlErrors;
import org.decisiongraph.store.sql.Tx;

/**
 * The append pipeline of core spec 5.1, in its exact order:
 * <ol>
 * <li>steps 1-5, stateless, before any lock: {@link EventValidator} (idempotency key, JSON safety, payload
 *     schema, PII guard, payload hash with the float check), then the payload size limit;</li>
 * <li>step 6: the column texts ({@code payload_json}/{@code tags_json} in the reference's format, D7 A);</li>
 * <li>inside one transaction holding the tenant's append lock: step 7 idempotent reuse by (producer_id,
 *     idempotency_key), step 8 the finish lock, step 9 sequencing (9a, 9b, 9c), the duplicate event_id
 *     check (D4), step 10 the insert with the tenant's next {@code log_seq} and {@code recorded_at}, and the
 *     audit {@code chain_hash} linked to the tenant's previous event ({@link ChainHash}).</li>
 * </ol>
 * A batch reads what it needs up front, decides every event in memory in order (so events may build on
 * earlier events of the batch) and inserts the accepted ones together. Should the insert still fail (the
 * unique indexes and the finish trigger are backstops), the transaction is rolled back and the batch runs
 * again inserting one event at a time under a savepoint, mapping each failure as core spec 5.4 says.
 */
final class AppendPipeline {
    /** Batches at least this large validate on all cores. */
    private static final int PARALLEL_VALIDATION_THRESHOLD = 256;

    private final EventValidator validator;
    private final Clock clock;
    private final int maxPayloadBytes;
    private final Tx tx;
    private final Dialect dialect;

    AppendPipeline(EventValidator validator, Clock clock, int maxPayloadBytes, Tx tx, Dialect dialect) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxPayloadBytes = maxPayloadBytes;
        this.tx = Objects.requireNonNull(tx, "tx");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** An envelope after steps 1-6, or its validation error. */
    record Prepared(EventEnvelope envelope, String payloadHash, String payloadJson, String tagsJson,
                            DgException error) {
        boolean valid() {
            return error == null;
        }

        IdemKey idemKey() {
            return new IdemKey(envelope.source().producerId(), envelope.idempotencyKey());
        }
    }

    /** Thrown out of a transaction whose batch insert failed, to run the batch again one event at a time. */
    private static final class InsertFailed extends RuntimeException {
        InsertFailed(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    List<AppendOutcome> append(String tenant, List<EventEnvelope> envelopes, boolean stopAtFirstRejection) {
        int n = envelopes.size();
        Prepared[] prepared = new Prepared[n];
        if (n >= PARALLEL_VALIDATION_THRESHOLD) {
            IntStream.range(0, n).parallel().forEach(i -> prepared[i] = prepare(envelopes.get(i)));
        } else {
            for (int i = 0; i < n; i++) {
                prepared[i] = prepare(envelopes.get(i));
            }
        }
        int end = n;
        if (stopAtFirstRejection) {
            for (int i = 0; i < n; i++) {
                if (!prepared[i].valid()) {
                    end = i + 1;
                    break;
                }
            }
        }
        return appendPrepared(tenant, prepared, end, stopAtFirstRejection);
    }

    /** Steps 7-10 for {@code prepared[0..end)} in one transaction (validation already done). */
    List<AppendOutcome> appendPrepared(String tenant, Prepared[] prepared, int end, boolean stopAtFirstRejection) {
        boolean anyValid = false;
        for (int i = 0; i < end; i++) {
            anyValid |= prepared[i].valid();
        }
        if (!anyValid) {
            List<AppendOutcome> out = new ArrayList<>(end);
            for (int i = 0; i < end; i++) {
                out.add(new AppendOutcome.Rejected(prepared[i].error()));
            }
            return out;
        }
        int last = end;
        try {
            return tx.write(h -> sequence(h, tenant, prepared, last, stopAtFirstRejection, false));
        } catch (InsertFailed retryOneByOne) {
            return tx.write(h -> sequence(h, tenant, prepared, last, stopAtFirstRejection, true));
        }
    }

    /** Steps 1-6: stateless, run by the caller's thread before any lock. */
    Prepared prepare(EventEnvelope e) {
        try {
            EventValidator.Validated v = validator.validate(e);
            String payloadJson = JsonWriter.pythonStorage(e.payload());
            checkSize(e.payload(), payloadJson);
            String tagsJson = JsonWriter.pythonStorage(Json.strings(e.tags()));
            return new Prepared(e, v.payloadHash(), payloadJson, tagsJson, null);
        } catch (DgException err) {
            return new Prepared(e, null, null, null, err);
        }
    }

    private void checkSize(Json payload, String storageText) {
        // The canonical form is never longer than the storage text, and UTF-8 needs at most 3 bytes per
        // UTF-16 char: small payloads skip the exact measurement.
        if ((long) storageText.length() * 3 <= maxPayloadBytes) {
            return;
        }
        long bytes = JsonWriter.canonicalBytes(payload).length;
        if (bytes > maxPayloadBytes) {
            throw DgErrors.payloadTooLarge(maxPayloadBytes, bytes);
        }
    }

    /** Steps 7-10 for {@code prepared[0..end)} inside the write transaction. */
    private List<AppendOutcome> sequence(Handle h, String tenant, Prepared[] prepared, int end,
                                         boolean stopAtFirstRejection, boolean oneByOne) throws SQLException {
        LogAccess db = LogAccess.of(dialect, h);
        db.lockTenant(tenant);

        Set<IdemKey> keys = new LinkedHashSet<>();
        Set<String> traces = new LinkedHashSet<>();
        Set<String> eventIds = new LinkedHashSet<>();
        for (int i = 0; i < end; i++) {
            Prepared p = prepared[i];
            if (p.valid()) {
                keys.add(p.idemKey());
                traces.add(p.envelope().traceId());
                eventIds.add(p.envelope().eventId());
            }
        }
        Map<IdemKey, StoredEvent> byKey = new HashMap<>(db.byIdempotencyKeys(tenant, keys));
        Map<String, TraceHead> heads = new HashMap<>(db.traceHeads(tenant, traces));
        Set<String> takenIds = new HashSet<>(db.existingEventIds(tenant, eventIds));
        LogAccess.Head start = db.head(tenant);
        long logSeq = start.logSeq();
        String chain = start.chainHash();

        List<AppendOutcome> out = new ArrayList<>(end);
        List<EventRows.Row> rows = new ArrayList<>();
        for (int i = 0; i < end; i++) {
            Prepared p = prepared[i];
            AppendOutcome outcome;
            if (!p.valid()) {
                outcome = new AppendOutcome.Rejected(p.error());
            } else {
                outcome = decide(p, byKey, heads, takenIds);
                if (outcome == null) {
                    EventRows.Row row = row(tenant, p, logSeq + 1, chain);
                    outcome = oneByOne ? insertOne(db, tenant, p, row) : new AppendOutcome.Appended(row.event());
                    if (outcome instanceof AppendOutcome.Appended a) {
                        logSeq++;
                        chain = row.chainHash();
                        EventEnvelope e = p.envelope();
                        byKey.put(p.idemKey(), a.event());
                        heads.put(e.traceId(), new TraceHead(e.traceSeq(), isFinish(e)));
                        takenIds.add(e.eventId());
                        if (!oneByOne) {
                            rows.add(row);
                        }
                    }
                }
            }
            out.add(outcome);
            if (stopAtFirstRejection && outcome instanceof AppendOutcome.Rejected) {
                break;
            }
        }
        if (!oneByOne) {
            try {
                db.insertBatch(rows);
            } catch (SQLException e) {
                if (SqlErrors.isRetryable(e)) {
                    throw e;
                }
                throw new InsertFailed(e);
            }
        }
        return out;
    }

    /** Steps 7, 8, 9 and the event_id check; null when the event is to be inserted. */
    private static AppendOutcome decide(Prepared p, Map<IdemKey, StoredEvent> byKey, Map<String, TraceHead> heads,
                                        Set<String> takenIds) {
        EventEnvelope e = p.envelope();
        StoredEvent existing = byKey.get(p.idemKey());
        if (existing != null) {
            return reuse(existing, e, p.payloadHash());
        }
        TraceHead head = heads.get(e.traceId());
        if (head != null && head.finished()) {
            return new AppendOutcome.Rejected(DgErrors.traceFinished(e.traceId()));
        }
        long expected = head == null ? 0 : head.lastSeq() + 1;
        if (e.traceSeq() != expected) {
            return new AppendOutcome.Rejected(DgErrors.expectedTraceSeq(expected, e.traceSeq()));
        }
        boolean started = EventType.TRACE_STARTED.wireName().equals(e.eventType());
        if (started && e.traceSeq() != 0) {
            return new AppendOutcome.Rejected(DgErrors.traceStartedNotZero());
        }
        if (!started && e.traceSeq() == 0) {
            return new AppendOutcome.Rejected(DgErrors.firstEventNotTraceStarted(e.eventType()));
        }
        if (takenIds.contains(e.eventId())) {
            return new AppendOutcome.Rejected(DgErrors.duplicateEventId(e.eventId()));
        }
        return null;
    }

    /**
     * Core spec 5.2: same payload hash, then the metadata fields in their fixed order. trace_seq, event_id,
     * occurred_at and recorded_at are not compared.
     */
    static AppendOutcome reuse(StoredEvent stored, EventEnvelope e, String payloadHash) {
        if (!stored.payloadHash().equals(payloadHash)) {
            return new AppendOutcome.Rejected(DgErrors.idempotencyPayloadConflict(e.idempotencyKey()));
        }
        List<String> mismatches = new ArrayList<>(0);
        if (!stored.traceId().equals(e.traceId())) {
            mismatches.add("trace_id");
        }
        if (!stored.eventType().equals(e.eventType())) {
            mismatches.add("event_type");
        }
        if (!stored.source().equals(e.source())) {
            mismatches.add("source");
        }
        if (!stored.actor().equals(e.actor())) {
            mismatches.add("actor");
        }
        if (!Objects.equals(stored.correlationId(), e.correlationId())) {
            mismatches.add("correlation_id");
        }
        if (!Objects.equals(stored.causationEventId(), e.causationEventId())) {
            mismatches.add("causation_event_id");
        }
        if (stored.schemaVersion() != e.schemaVersion()) {
            mismatches.add("schema_version");
        }
        if (!stored.tags().equals(e.tags())) {
            mismatches.add("tags");
        }
        if (!mismatches.isEmpty()) {
            return new AppendOutcome.Rejected(DgErrors.idempotencyMetadataConflict(e.idempotencyKey(), mismatches));
        }
        return new AppendOutcome.Reused(stored);
    }

    private EventRows.Row row(String tenant, Prepared p, long logSeq, String prevChain) {
        String recordedAt = Timestamps.toRfc3339(clock.instant());
        StoredEvent stored = new StoredEvent(tenant, logSeq, recordedAt, p.payloadHash(), p.envelope());
        return new EventRows.Row(stored, p.payloadJson(), p.tagsJson(), ChainHash.next(prevChain, stored));
    }

    private static boolean isFinish(EventEnvelope e) {
        return EventType.TRACE_FINISHED.wireName().equals(e.eventType());
    }

    /** Inserts under a savepoint; a backstop failure becomes this event's outcome (core spec 5.4). */
    private static AppendOutcome insertOne(LogAccess db, String tenant, Prepared p, EventRows.Row row)
            throws SQLException {
        try {
            db.h.savepoint(h -> {
                db.insertOne(row);
                return null;
            });
            return new AppendOutcome.Appended(row.event());
        } catch (SQLException failure) {
            if (SqlErrors.isRetryable(failure)) {
                throw failure;
            }
            EventEnvelope e = p.envelope();
            return switch (SqlErrors.classifyInsert(failure)) {
                case TRACE_FINISHED -> new AppendOutcome.Rejected(DgErrors.traceFinished(e.traceId()));
                case IDEMPOTENCY -> {
                    StoredEvent winner = db.byIdempotencyKeys(tenant, List.of(p.idemKey())).get(p.idemKey());
                    yield winner != null ? reuse(winner, e, p.payloadHash())
                            : new AppendOutcome.Rejected(DgErrors.idempotencyKeyUsed(e.idempotencyKey()));
                }
                case TRACE_SEQ -> new AppendOutcome.Rejected(DgErrors.traceSeqExists(e.traceSeq()));
                case EVENT_ID -> new AppendOutcome.Rejected(DgErrors.duplicateEventId(e.eventId()));
                case OTHER -> new AppendOutcome.Rejected(DgErrors.storage(SqlErrors.driverMessage(failure), failure));
            };
        }
    }
}
