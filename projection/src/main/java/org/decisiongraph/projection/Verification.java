package org.decisiongraph.projection;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.Checkpoints;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.audit.Retention;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ReadModelStore;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * The offline integrity check of one tenant ({@code dg verify}), read-only: the log (every payload hash
 * recomputed, log_seq strictly increasing and, in this project's layout, gap-free from 1; trace_seq contiguous
 * from 0 per trace; nothing after a TraceFinished) and the projections (rebuilt in memory from the log up to each
 * stored cursor and compared row by row with the stored tables; the stored digest checkpoints compared with the
 * digests of the rebuild at their log positions), and in this project's layout the audit hash chain (recomputed
 * from genesis, first broken link reported) and the inclusion of every stored signed checkpoint.
 */
public final class Verification {
    /** Problems listed per check; the rest are only counted. */
    static final int MAX_LISTED = 20;

    private Verification() {
    }

    /** One check: its problems (the first {@value #MAX_LISTED}) and how many there were. */
    public static final class Check {
        private final String name;
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Json> facts = new LinkedHashMap<>();
        private long total;

        Check(String name) {
            this.name = name;
        }

        void problem(String text) {
            total++;
            if (problems.size() < MAX_LISTED) {
                problems.add(text);
            }
        }

        void fact(String key, Json value) {
            facts.put(key, value);
        }

        public String name() {
            return name;
        }

        public boolean ok() {
            return total == 0;
        }

        public List<String> problems() {
            return List.copyOf(problems);
        }

        public long problemCount() {
            return total;
        }

        JsonObject toJson() {
            JsonObject.Builder b = JsonObject.builder().put("ok", ok()).put("problem_count", total)
                    .put("problems", Json.strings(problems));
            facts.forEach(b::put);
            return b.build();
        }
    }

    /** The whole report; {@link #clean()} when every check holds. */
    public record Report(String tenantId, String layout, long eventCount, long eventLogLastSeq, List<Check> checks) {
        public boolean clean() {
            return checks.stream().allMatch(Check::ok);
        }

        public Optional<Check> check(String name) {
            return checks.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        public JsonObject toJson() {
            JsonObject.Builder cs = JsonObject.builder();
            checks.forEach(c -> cs.put(c.name(), c.toJson()));
            return JsonObject.builder()
                    .put("clean", clean())
                    .put("tenant_id", tenantId)
                    .put("layout", layout)
                    .put("event_count", eventCount)
                    .put("event_log_last_seq", eventLogLastSeq)
                    .put("checks", cs.build())
                    .build();
        }
    }

    static Report run(Projections p) {
        boolean reference = p.database().layout() == Layout.REFERENCE;
        Check hashes = new Check("payload_hashes");
        Check order = new Check("log_seq_order");
        Check traceSeq = new Check("trace_seq_contiguous");
        Check afterFinish = new Check("nothing_after_trace_finished");
        long count = 0;
        long last = 0;
        Map<String, Long> next = new HashMap<>();
        Set<String> finished = new HashSet<>();
        Lifecycle lifecycle = reference ? Lifecycle.NONE : lifecycle(p);
        Map<Long, String> redacted = lifecycle.accepted();
        java.util.NavigableMap<Long, AuditChain.Tombstone> removed = lifecycle.removed();
        long redactedCount = 0;
        try {
            for (List<StoredEvent> page : p.eventLog().batches(p.tenantId(), 0, null, Projector.DEFAULT_BATCH_SIZE)) {
                for (StoredEvent e : page) {
                    count++;
                    if (e.logSeq() <= last) {
                        order.problem("log_seq " + e.logSeq() + " follows " + last);
                    } else if (!reference && e.logSeq() != last + 1) {
                        long missing = last + 1;
                        while (missing < e.logSeq() && removed.containsKey(missing)) {
                            missing++;
                        }
                        if (missing < e.logSeq()) {
                            order.problem("log_seq gap: " + e.logSeq() + " follows " + last + " (log_seq " + missing
                                    + " is not covered by a retention tombstone)");
                        }
                    }
                    last = Math.max(last, e.logSeq());
                    String actual = Hashing.payloadHash(e.payload());
                    if (!actual.equals(e.payloadHash())) {
                        if (actual.equals(redacted.get(e.logSeq()))) {
                            redactedCount++;
                        } else {
                            hashes.problem("event " + e.eventId() + " (log_seq " + e.logSeq() + "): stored " + e.payloadHash()
                                    + ", recomputed " + actual + (redacted.containsKey(e.logSeq())
                                    ? " (its redaction records end at " + redacted.get(e.logSeq()) + ")"
                                    : lifecycle.recorded().contains(e.logSeq())
                                    ? " (its redaction records do not verify: see the redactions check)"
                                    : " (no redaction is recorded)"));
                        }
                    }
                    long expected = next.getOrDefault(e.traceId(), 0L);
                    if (e.traceSeq() != expected) {
                        traceSeq.problem("trace " + e.traceId() + ": expected trace_seq " + expected + ", got "
                                + e.traceSeq() + " (log_seq " + e.logSeq() + ")");
                    }
                    next.put(e.traceId(), Math.max(expected, e.traceSeq() + 1));
                    if (finished.contains(e.traceId())) {
                        afterFinish.problem("trace " + e.traceId() + ": " + e.eventType() + " at log_seq " + e.logSeq()
                                + " follows its TraceFinished");
                    }
                    if (EventType.TRACE_FINISHED.wireName().equals(e.eventType())) {
                        finished.add(e.traceId());
                    }
                }
            }
        } catch (DgException e) {
            order.problem("the log could not be read past log_seq " + last + ": " + e);
        }
        hashes.fact("redacted", Json.of(redactedCount));
        List<Check> checks = new ArrayList<>(List.of(hashes, order, traceSeq, afterFinish));
        if (!reference) {
            checks.addAll(chainChecks(p));
            checks.addAll(lifecycle.checks());
        }
        checks.addAll(projectionChecks(p, last, reference));
        return new Report(p.tenantId(), reference ? "reference" : "decisiongraph", count, last, checks);
    }

    /** Redaction and retention records (docs/OPERATIONS.md): their checks, what they let the log checks accept. */
    private record Lifecycle(List<Check> checks, Map<Long, String> accepted, Set<Long> recorded,
                             java.util.NavigableMap<Long, AuditChain.Tombstone> removed) {
        static final Lifecycle NONE = new Lifecycle(List.of(), Map.of(), Set.of(), new TreeMap<>());
    }

    /**
     * {@code redactions}: every redaction record verifies (hash, audit row, sequence, stored payload); the
     * payload_hashes check then accepts a redacted event's payload. {@code retention}: every retention run's
     * manifest, tombstones, audit row and signature verify; the log_seq and chain checks then accept the tombstoned
     * gaps.
     */
    private static Lifecycle lifecycle(Projections p) {
        Check redactions = new Check("redactions");
        Check retention = new Check("retention");
        Map<Long, String> accepted = Map.of();
        Set<Long> recorded = Set.of();
        java.util.NavigableMap<Long, AuditChain.Tombstone> removed = new TreeMap<>();
        try {
            Redactions.Check r = new Redactions(p.database(), () -> "unused", new java.security.SecureRandom())
                    .verify(p.tenantId());
            r.problems().forEach(redactions::problem);
            redactions.fact("verified", Json.of(r.verified()));
            accepted = r.accepted();
            recorded = r.recorded();
        } catch (DgException e) {
            redactions.problem("the redaction records could not be read: " + e.message());
        }
        try {
            Retention.Check r = new Retention(p.database(), () -> "unused").verify(p.tenantId());
            r.problems().forEach(retention::problem);
            retention.fact("runs", Json.of(r.runs()));
            retention.fact("tombstones", Json.of(r.tombstones()));
            removed = AuditChain.of(p.database()).tombstones(p.tenantId(), 1, Long.MAX_VALUE);
        } catch (DgException e) {
            retention.problem("the retention records could not be read: " + e.message());
        }
        return new Lifecycle(List.of(redactions, retention), accepted, recorded, removed);
    }

    /**
     * The audit chain recomputed from genesis (the first broken link is reported), and every stored signed
     * checkpoint's inclusion in it (signatures need the public key: {@code dg verify-export}).
     */
    private static List<Check> chainChecks(Projections p) {
        Check chain = new Check("hash_chain");
        Check signed = new Check("signed_checkpoints");
        try {
            Checkpoints checkpoints = new Checkpoints(p.database());
            AuditChain.Report r = checkpoints.chain().verify(p.tenantId(), null);
            chain.fact("checked", Json.of(r.checked()));
            chain.fact("head", r.ok() ? Json.of(r.head()) : org.decisiongraph.core.json.JsonNull.INSTANCE);
            if (!r.ok()) {
                chain.problem(r.firstBreak().describe());
            }
            List<Checkpoint> all = checkpoints.list(p.tenantId());
            signed.fact("count", Json.of(all.size()));
            for (Checkpoint c : all) {
                Checkpoints.Inclusion inclusion = checkpoints.inclusion(c);
                if (!inclusion.ok()) {
                    signed.problem("checkpoint at log_seq " + c.logSeq() + " by " + c.keyId() + ": " + inclusion.problem());
                }
            }
        } catch (DgException e) {
            chain.problem("the chain could not be read: " + e.message());
        }
        return List.of(chain, signed);
    }

    private static List<Check> projectionChecks(Projections p, long last, boolean reference) {
        ReadModelStore stored = p.store();
        EnumMap<ProjectionName, Check> tables = new EnumMap<>(ProjectionName.class);
        EnumMap<ProjectionName, Long> cursors = new EnumMap<>(ProjectionName.class);
        // log position -> what to do when the in-memory rebuild stands there
        TreeMap<Long, List<Consumer<ReadModelStore>>> at = new TreeMap<>();
        for (ProjectionName name : ProjectionName.CANONICAL_ORDER) {
            Check check = new Check("projection:" + name.wireName());
            tables.put(name, check);
            long cursor = stored.cursor(name);
            cursors.put(name, cursor);
            check.fact("cursor", Json.of(cursor));
            if (cursor > last) {
                check.problem("cursor " + cursor + " is beyond the end of the log (" + last + ")");
                continue;
            }
            at.computeIfAbsent(cursor, k -> new ArrayList<>()).add(rebuilt -> compareRows(name, stored, rebuilt, reference, check));
        }
        List<Check> checks = new ArrayList<>(tables.values());
        Map<String, String> expected = new HashMap<>();
        Map<String, DigestCheckpoint> checkpoints = new LinkedHashMap<>();
        for (ProjectionName name : ProjectionName.CANONICAL_ORDER) {
            stored.digestCheckpoint(name.wireName()).ifPresent(c -> {
                checkpoints.put(name.wireName(), c);
                if (c.lastLogSeq() <= last) {
                    at.computeIfAbsent(c.lastLogSeq(), k -> new ArrayList<>()).add(rebuilt ->
                            expected.put(name.wireName(), componentDigest(name, rebuilt)));
                }
            });
        }
        stored.digestCheckpoint(ProjectionName.FULL_PROJECTION).ifPresent(c -> checkpoints.put(ProjectionName.FULL_PROJECTION, c));

        Check rebuild = new Check("projection_rebuild");
        checks.addFirst(rebuild);
        InMemoryReadModelStore memory = new InMemoryReadModelStore(p.tenantId());
        Projector projector = new Projector(memory, p.feed());
        try {
            for (Map.Entry<Long, List<Consumer<ReadModelStore>>> step : at.entrySet()) {
                if (step.getKey() > 0) {
                    projector.catchUpAll(Projector.DEFAULT_BATCH_SIZE, step.getKey());
                }
                step.getValue().forEach(action -> action.accept(memory));
            }
        } catch (DgException e) {
            rebuild.problem("rebuilding the projections from the log failed: " + e);
            return checks;
        }

        for (String name : List.of("context_graph", "trace_summary", "precedent_index", ProjectionName.FULL_PROJECTION)) {
            Check check = new Check("checkpoint:" + name);
            checks.add(check);
            DigestCheckpoint c = checkpoints.get(name);
            if (c == null) {
                check.fact("status", Json.of(reference ? "not_applicable" : "absent"));
                continue;
            }
            check.fact("last_log_seq", Json.of(c.lastLogSeq()));
            check.fact("stored", Json.of(c.digest()));
            String want;
            if (name.equals(ProjectionName.FULL_PROJECTION)) {
                String cg = expected.get("context_graph");
                String ts = expected.get("trace_summary");
                String pi = expected.get("precedent_index");
                want = cg == null || ts == null || pi == null ? null : Digests.full(cg, ts, pi);
            } else {
                want = expected.get(name);
            }
            if (want == null) {
                check.problem("no rebuilt digest to compare with (checkpoint at log_seq " + c.lastLogSeq() + ", log ends at "
                        + last + ")");
                continue;
            }
            check.fact("rebuilt", Json.of(want));
            if (!want.equals(c.digest())) {
                check.problem("stored checkpoint " + c.digest() + " differs from the rebuilt digest " + want);
            }
        }
        return checks;
    }

    private static String componentDigest(ProjectionName name, ReadModelStore store) {
        return switch (name) {
            case CONTEXT_GRAPH -> Digests.contextGraph(store);
            case TRACE_SUMMARY -> Digests.traceSummary(store);
            case PRECEDENT_INDEX -> Digests.precedentIndex(store);
        };
    }

    private static void compareRows(ProjectionName name, ReadModelStore stored, ReadModelStore rebuilt, boolean reference,
                                    Check check) {
        switch (name) {
            case CONTEXT_GRAPH -> {
                compare("dg_cg_nodes", stored::forEachNode, rebuilt::forEachNode, n -> n.nodeId(), Function.identity(), check);
                compare("dg_cg_edges", stored::forEachEdge, rebuilt::forEachEdge, e -> e.edgeId(), Function.identity(), check);
            }
            case TRACE_SUMMARY -> {
                // the reference's table has no primary_entity_system column
                Function<TraceSummaryRow, TraceSummaryRow> norm = !reference ? Function.identity()
                        : s -> new TraceSummaryRow(s.traceId(), s.workflow(), s.title(), s.primaryEntityType(), null,
                        s.primaryEntityId(), s.outcome(), s.startedAt(), s.finishedAt(), s.eventCount(), s.lastLogSeq());
                compare("dg_trace_summary", stored::forEachTraceSummary, rebuilt::forEachTraceSummary,
                        TraceSummaryRow::traceId, norm, check);
            }
            case PRECEDENT_INDEX -> {
                compare("dg_precedent_index", stored::forEachPrecedent, rebuilt::forEachPrecedent, r -> r.sourceEventId(),
                        Function.identity(), check);
                compare("dg_policy_eval_index", stored::forEachPolicyEval, rebuilt::forEachPolicyEval, r -> r.indexId(),
                        Function.identity(), check);
            }
        }
    }

    @FunctionalInterface
    private interface Scan<R> {
        void forEach(Consumer<R> action);
    }

    /** Both scans are in the same key order; rows are compared pairwise while the stored side streams. */
    private static <R> void compare(String table, Scan<R> stored, Scan<R> rebuilt, Function<R, String> key,
                                    Function<R, R> normalize, Check check) {
        List<R> expected = new ArrayList<>();
        rebuilt.forEach(r -> expected.add(normalize.apply(r)));
        Iterator<R> it = expected.iterator();
        long[] storedCount = {0};
        stored.forEach(row -> {
            storedCount[0]++;
            R s = normalize.apply(row);
            R e = it.hasNext() ? it.next() : null;
            if (!Objects.equals(s, e)) {
                check.problem(table + ": stored row " + key.apply(s) + " differs from the rebuild: " + s);
            }
        });
        if (storedCount[0] != expected.size()) {
            check.problem(table + ": " + storedCount[0] + " stored rows, " + expected.size() + " rebuilt");
        }
    }
}
