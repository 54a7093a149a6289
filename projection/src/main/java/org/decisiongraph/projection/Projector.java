package org.decisiongraph.projection;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.projection.graph.ContextGraphProjection;
import org.decisiongraph.projection.precedent.PrecedentProjection;
import org.decisiongraph.projection.summary.TraceSummaryProjection;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ReadModelStore;
import org.decisiongraph.store.readmodel.ReadModelWriter;

/**
 * Projects one tenant's event log into its read model (projections spec 3). Every event is validated (payload
 * hash recomputed: CONFLICT on mismatch; trace_seq contiguous per trace: EVENT_SEQUENCE_INVALID) and applied to
 * each projection whose cursor is behind it. Events are read in batches from the projections' cursors; each
 * batch is one all-or-nothing transaction that also moves the cursors, so a failure leaves every cursor at the
 * last committed batch. The three projections have independent cursors ({@link #catchUp}); {@link #catchUpAll}
 * and {@link #rebuildAll} process them in one pass, which gives the same rows as three separate catch-ups.
 *
 * <p>In-memory state (the trace_seq tracker, the open precedent walks) is only a cache of what the log and the
 * cursors determine: a new Projector over the same store continues exactly where the cursors are. One pass at a
 * time per instance; concurrent projectors on one store are detected by re-reading the cursors inside each
 * batch transaction.
 */
public final class Projector {
    /** Batch size of the library facade (decision P20). */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Batch size of runtime workers and replay jobs (decision P20). */
    public static final int RUNTIME_BATCH_SIZE = 250;
    /** Open traces kept in memory (trace_seq tracker, precedent walks) before falling back to log reads. */
    public static final int DEFAULT_MAX_OPEN_TRACES = 100_000;

    private static final Set<ProjectionName> ALL = EnumSet.allOf(ProjectionName.class);
    private static final int CACHED_TRACKERS = 4;

    private final ReadModelStore store;
    private final EventFeed feed;
    private final int maxOpenTraces;
    private final PrecedentProjection precedents;
    /** Trackers by the log position they are valid at. */
    private final LinkedHashMap<Long, TraceSeqTracker> trackers = new LinkedHashMap<>();
    /** The precedent_index cursor the open precedent walks are valid at; -1 when unknown. */
    private long precedentsAt = -1;

    public Projector(ReadModelStore store, EventFeed feed) {
        this(store, feed, DEFAULT_MAX_OPEN_TRACES);
    }

    public Projector(ReadModelStore store, EventFeed feed, int maxOpenTraces) {
        this.store = Objects.requireNonNull(store, "store");
        this.feed = Objects.requireNonNull(feed, "feed");
        if (maxOpenTraces < 0) {
            throw new IllegalArgumentException("maxOpenTraces must be >= 0, got " + maxOpenTraces);
        }
        this.maxOpenTraces = maxOpenTraces;
        this.precedents = new PrecedentProjection(feed, maxOpenTraces);
    }

    public ReadModelStore store() {
        return store;
    }

    public EventFeed feed() {
        return feed;
    }

    /** Catches one projection up to the end of the log. */
    public CatchUpResult catchUp(ProjectionName projection, int batchSize) {
        return catchUp(projection, batchSize, Long.MAX_VALUE);
    }

    /** Catches one projection up to {@code untilLogSeq} (inclusive; stops at the first batch reaching it). */
    public CatchUpResult catchUp(ProjectionName projection, int batchSize, long untilLogSeq) {
        return run(EnumSet.of(projection), batchSize, untilLogSeq).getFirst();
    }

    /** Catches all three projections up in one pass; results in canonical order. */
    public List<CatchUpResult> catchUpAll(int batchSize) {
        return catchUpAll(batchSize, Long.MAX_VALUE);
    }

    public List<CatchUpResult> catchUpAll(int batchSize, long untilLogSeq) {
        return run(ALL, batchSize, untilLogSeq);
    }

    /**
     * Catches the projections of {@code scope} up together to {@code untilLogSeq}: each event is read, hash-checked
     * and sequence-checked once and applied to every projection of the scope whose cursor is behind it, in one
     * transaction per batch (the same rows as separate catch-ups); results in canonical order.
     */
    public List<CatchUpResult> catchUp(Set<ProjectionName> scope, int batchSize, long untilLogSeq) {
        if (scope.isEmpty()) {
            throw new IllegalArgumentException("scope must name at least one projection");
        }
        return run(EnumSet.copyOf(scope), batchSize, untilLogSeq);
    }

    /** Deletes the projection's rows and sets its cursor to 0 (one transaction). */
    public synchronized void clear(ProjectionName projection) {
        store.write(EnumSet.of(projection), w -> w.clear(projection));
        if (projection == ProjectionName.PRECEDENT_INDEX) {
            forgetPrecedents();
        }
    }

    /** Clears the projection, then catches it up from log_seq 0. */
    public synchronized CatchUpResult rebuild(ProjectionName projection, int batchSize) {
        validate(batchSize, Long.MAX_VALUE);
        clear(projection);
        return store.bulkLoad(EnumSet.of(projection), () -> catchUp(projection, batchSize));
    }

    /** Clears all three projections in one transaction, then projects the whole log in one pass. */
    public synchronized List<CatchUpResult> rebuildAll(int batchSize) {
        validate(batchSize, Long.MAX_VALUE);
        store.write(ALL, w -> ProjectionName.CANONICAL_ORDER.forEach(w::clear));
        forgetPrecedents();
        return store.bulkLoad(ALL, () -> catchUpAll(batchSize));
    }

    private static void validate(int batchSize, long untilLogSeq) {
        if (batchSize <= 0) {
            throw DgErrors.batchSizeNotPositive(batchSize);
        }
        if (untilLogSeq < 0) {
            throw DgErrors.logSeqNegative(untilLogSeq);
        }
    }

    private synchronized List<CatchUpResult> run(Set<ProjectionName> scope, int batchSize, long untilLogSeq) {
        validate(batchSize, untilLogSeq);
        EnumMap<ProjectionName, Long> cursors = readCursors(scope);
        EnumMap<ProjectionName, Long> processed = new EnumMap<>(ProjectionName.class);
        scope.forEach(p -> processed.put(p, 0L));
        while (true) {
            long position = cursors.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            if (position >= untilLogSeq) {
                break;
            }
            List<StoredEvent> batch = feed.read(position, untilLogSeq, batchSize);
            if (batch.isEmpty()) {
                break;
            }
            TraceSeqTracker tracker = trackerAt(position);
            if (scope.contains(ProjectionName.PRECEDENT_INDEX) && precedentsAt != cursors.get(ProjectionName.PRECEDENT_INDEX)) {
                precedents.reset();
            }
            Batch b = new Batch(scope, cursors, batch, tracker, checkHashes(batch));
            try {
                store.write(scope, b::apply);
            } catch (CursorMoved moved) {
                // another projector committed meanwhile: drop the caches and continue from the stored cursors
                trackers.clear();
                forgetPrecedents();
                cursors = readCursors(scope);
                continue;
            } catch (RuntimeException e) {
                trackers.clear();
                forgetPrecedents();
                throw failure(e, scope, cursors, processed, b.current);
            }
            long last = batch.getLast().logSeq();
            for (ProjectionName p : scope) {
                long cursor = cursors.get(p);
                if (last > cursor) {
                    processed.merge(p, batch.stream().filter(e -> e.logSeq() > cursor).count(), Long::sum);
                    cursors.put(p, last);
                }
            }
            remember(last, tracker);
            if (scope.contains(ProjectionName.PRECEDENT_INDEX)) {
                precedentsAt = cursors.get(ProjectionName.PRECEDENT_INDEX);
            }
            if (last >= untilLogSeq) {
                break;
            }
        }
        long tail = feed.lastLogSeq();
        List<CatchUpResult> results = new ArrayList<>(scope.size());
        for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
            if (scope.contains(p)) {
                long cursor = cursors.get(p);
                results.add(new CatchUpResult(p, cursor, processed.get(p), Math.max(tail - cursor, 0)));
            }
        }
        return results;
    }

    private EnumMap<ProjectionName, Long> readCursors(Set<ProjectionName> scope) {
        EnumMap<ProjectionName, Long> cursors = new EnumMap<>(ProjectionName.class);
        scope.forEach(p -> cursors.put(p, store.cursor(p)));
        return cursors;
    }

    private TraceSeqTracker trackerAt(long position) {
        TraceSeqTracker tracker = trackers.remove(position);
        return tracker != null ? tracker : new TraceSeqTracker(maxOpenTraces);
    }

    private void remember(long position, TraceSeqTracker tracker) {
        trackers.put(position, tracker);
        if (trackers.size() > CACHED_TRACKERS) {
            trackers.remove(trackers.keySet().iterator().next());
        }
    }

    private void forgetPrecedents() {
        precedents.reset();
        precedentsAt = -1;
    }

    private ProjectionFailedException failure(RuntimeException e, Set<ProjectionName> scope,
                                              Map<ProjectionName, Long> cursors, Map<ProjectionName, Long> processed,
                                              StoredEvent event) {
        DgException error = e instanceof DgException dg ? dg
                : DgErrors.projectionRuntimeError(String.valueOf(e.getMessage()), e);
        EnumSet<ProjectionName> failed = EnumSet.noneOf(ProjectionName.class);
        for (ProjectionName p : scope) {
            if (event == null || cursors.get(p) < event.logSeq()) {
                failed.add(p);
            }
        }
        long last = failed.stream().mapToLong(cursors::get).min().orElse(0);
        long done = failed.stream().mapToLong(processed::get).sum();
        return new ProjectionFailedException(error, store.tenantId(), failed, last, done, event);
    }

    /**
     * The payload-hash check of every event of a batch (projections spec 3.1 step 1), done before the batch's
     * write transaction so that SQLite's single writer is not held for it: per event null when it passes, else
     * the error the check throws. {@link Batch#apply} throws them at the same point of its loop as a check made
     * there would, so the first error of a batch is the same.
     */
    private RuntimeException[] checkHashes(List<StoredEvent> events) {
        RuntimeException[] errors = new RuntimeException[events.size()];
        for (int i = 0; i < errors.length; i++) {
            StoredEvent event = events.get(i);
            try {
                String actual = Hashing.payloadHash(event.payload());
                if (!actual.equals(event.payloadHash()) && !actual.equals(feed.redactedPayloadHash(event))) {
                    errors[i] = DgErrors.payloadHashMismatch(event.eventId(), actual, event.payloadHash());
                }
            } catch (RuntimeException e) {
                errors[i] = e;
            }
        }
        return errors;
    }

    /** One batch transaction. */
    private final class Batch {
        private final Set<ProjectionName> scope;
        private final Map<ProjectionName, Long> cursors;
        private final List<StoredEvent> events;
        private final TraceSeqTracker tracker;
        private final RuntimeException[] hashErrors;
        /** Node ids that exist in this transaction (see {@link ContextGraphProjection#apply}). */
        private final Set<String> presentNodes = new HashSet<>();
        private StoredEvent current;

        Batch(Set<ProjectionName> scope, Map<ProjectionName, Long> cursors, List<StoredEvent> events,
              TraceSeqTracker tracker, RuntimeException[] hashErrors) {
            this.scope = scope;
            this.cursors = cursors;
            this.events = events;
            this.tracker = tracker;
            this.hashErrors = hashErrors;
        }

        void apply(ReadModelWriter writer) {
            for (ProjectionName p : scope) {
                if (writer.cursor(p) != cursors.get(p)) {
                    throw new CursorMoved();
                }
            }
            for (int i = 0; i < events.size(); i++) {
                StoredEvent event = events.get(i);
                current = event;
                if (hashErrors[i] != null) {
                    throw hashErrors[i];
                }
                tracker.check(event, feed);
                for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
                    if (scope.contains(p) && event.logSeq() > cursors.get(p)) {
                        switch (p) {
                            case CONTEXT_GRAPH -> ContextGraphProjection.apply(event, writer, presentNodes);
                            case TRACE_SUMMARY -> TraceSummaryProjection.apply(event, writer);
                            case PRECEDENT_INDEX -> precedents.apply(event, writer);
                        }
                    }
                }
                tracker.advance(event);
            }
            current = null;
            long last = events.getLast().logSeq();
            for (ProjectionName p : scope) {
                if (last > cursors.get(p)) {
                    writer.setCursor(p, last);
                }
            }
        }
    }

    /** The stored cursors differ from the ones this pass started from. */
    private static final class CursorMoved extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CursorMoved() {
            super(null, null, false, false);
        }
    }
}
