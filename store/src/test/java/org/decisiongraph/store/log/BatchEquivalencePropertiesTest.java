package org.decisiongraph.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;

/**
 * {@link EventLog#appendBatch} decides every event exactly as one {@link EventLog#append} per event would: random
 * mixes of new traces, continuations, gaps, finishes, appends after a finish, reused and conflicting idempotency
 * keys and taken event ids, with ids and keys in several scripts, quotes, backslashes, control characters and
 * astral characters, appended in random batches to one tenant and one by one to another; the outcomes (kind,
 * log_seq, payload hash, or error code and message) must be the same. SQLite answers a batch's lookups with one
 * statement each (json_each), a single append with one probe per value, so this compares the two.
 */
class BatchEquivalencePropertiesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final List<String> NAMES = List.of("a", "trace-é", "t\"q\\b", "t\u2028x", "e\u0301", "😀-t", "日本",
            "tab\tx", "line\nbreak", "nul\u0000x", "lone\ud800x", "Ω/%");
    private static Database db;
    private static EventLog log;
    private static int run;

    @BeforeContainer
    static void open() {
        db = Database.sqlite(TestDatabases.newSqlitePath());
        log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
    }

    private static final java.util.Set<String> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @AfterContainer
    static void close() {
        db.close();
        // the mixes reached every decision: appends, reuses and the rejections of each lookup
        assertThat(SEEN).contains("appended", "reused", "rejected DG_ERR_IDEMPOTENCY_CONFLICT",
                "rejected DG_ERR_EVENT_SEQUENCE_INVALID", "rejected DG_ERR_CONFLICT");
        System.out.println("decisions seen: " + SEEN);
    }

    @Property(tries = 60)
    void batchesDecideEachEventAsSingleAppendsDo(@ForAll long seed) {
        Random random = new Random(seed);
        run++;
        String batched = "batched-" + run;
        String single = "single-" + run;
        List<EventEnvelope> events = mix(random, 40 + random.nextInt(80));

        List<String> viaBatches = new ArrayList<>();
        int i = 0;
        while (i < events.size()) {
            int n = Math.min(events.size() - i, 1 + random.nextInt(30));
            log.appendBatch(batched, events.subList(i, i + n)).forEach(o -> viaBatches.add(describe(o)));
            i += n;
        }
        List<String> oneByOne = new ArrayList<>();
        for (EventEnvelope e : events) {
            try {
                oneByOne.add(describe(log.append(single, e)));
            } catch (DgException err) {
                oneByOne.add("rejected " + err.code() + " " + err.message());
            }
        }
        assertThat(viaBatches).containsExactlyElementsOf(oneByOne);
        viaBatches.forEach(o -> SEEN.add(o.startsWith("rejected") ? o.substring(0, o.indexOf(' ', 9)) : o.substring(0, o.indexOf(' '))));
        assertThat(viaBatches).anyMatch(s -> s.startsWith("appended"));
        assertThat(log.lastLogSeq(batched)).isEqualTo(log.lastLogSeq(single));
    }

    private static String describe(AppendOutcome o) {
        if (o instanceof AppendOutcome.Rejected r) {
            return "rejected " + r.error().code() + " " + r.error().message();
        }
        StoredEvent e = o.eventOrNull();
        return o.outcome() + " " + e.logSeq() + " " + e.eventId() + " " + e.payloadHash();
    }

    /** A random mix over a few traces, keys and ids, so that every kind of decision occurs. */
    private static List<EventEnvelope> mix(Random random, int size) {
        List<EventEnvelope> out = new ArrayList<>();
        java.util.Map<String, Long> next = new java.util.HashMap<>();
        for (int k = 0; k < size; k++) {
            String trace = NAMES.get(random.nextInt(NAMES.size())) + "-" + random.nextInt(3);
            long expected = next.getOrDefault(trace, 0L);
            long seq = random.nextInt(10) < 8 ? expected : random.nextInt(4);
            String type = seq == 0 ? "TraceStarted" : random.nextInt(6) == 0 ? "TraceFinished" : "EntityObserved";
            if (random.nextInt(15) == 0) {
                type = random.nextBoolean() ? "TraceStarted" : "EntityObserved"; // wrong first type, or a start mid-trace
            }
            String key = random.nextInt(8) == 0 && !out.isEmpty()
                    ? out.get(random.nextInt(out.size())).idempotencyKey() // reuse or conflict
                    : "key-" + NAMES.get(random.nextInt(NAMES.size())) + "-" + k;
            String id = random.nextInt(8) == 0 && !out.isEmpty()
                    ? out.get(random.nextInt(out.size())).eventId() // a taken id
                    : "id-" + NAMES.get(random.nextInt(NAMES.size())) + "-" + k;
            var payload = switch (type) {
                case "TraceStarted" -> Envelopes.startedPayload("T" + random.nextInt(2));
                case "TraceFinished" -> Envelopes.finishedPayload("success");
                default -> Envelopes.observedPayload("x" + random.nextInt(2));
            };
            out.add(Envelopes.envelope(id, trace, seq, type, key, payload));
            if (seq == expected) {
                next.put(trace, seq + 1);
            }
        }
        return out;
    }
}
