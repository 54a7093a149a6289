package org.decisiongraph.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decisiongraph.store.log.Envelopes.envelope;
import static org.decisiongraph.store.log.Envelopes.finished;
import static org.decisiongraph.store.log.Envelopes.observed;
import static org.decisiongraph.store.log.Envelopes.started;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.sql.SqlErrors;
import org.decisiongraph.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link EventLog} backend must show: the append pipeline of core spec 5 (vectors
 * and golden scenarios), tenancy, reads and their argument checks. Subclasses say how to open a database;
 * concurrency and durability have their own contract classes. Each test works in a tenant of its own, so
 * every test starts from an empty log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EventLogContract {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AtomicInteger TENANTS = new AtomicInteger();

    Database db;
    EventLog log;
    String tenant;

    String location;

    /** Where a fresh, empty database for this test class lives (a SQLite path or a Postgres URL). */
    abstract String newLocation();

    /** Opens the writable database at {@code location} (another handle on the same database each call). */
    abstract Database open(String location);

    /** The first arguments of {@link DurabilityChild}: {@code sqlite <path>} or {@code postgres <url>}. */
    abstract List<String> childArgs(String location);

    @BeforeAll
    void open() {
        location = newLocation();
        db = open(location);
        log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
    }

    @AfterAll
    void close() {
        db.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "tenant-" + TENANTS.incrementAndGet();
    }

    // --- vectors-core.json append_scenarios ---------------------------------------------------------

    static Stream<Arguments> appendScenarios() {
        JsonArray scenarios = Fixtures.vectorsCore().getObject("append_scenarios").getArray("scenarios");
        return scenarios.items().stream().map(s -> Arguments.of(((JsonObject) s).getString("name"), s));
    }

    @Test
    void thereAreSeventeenAppendScenarios() {
        assertThat(appendScenarios()).hasSize(17);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appendScenarios")
    void appendScenarioOneCallPerStep(String name, JsonObject scenario) {
        for (Json step : scenario.getArray("steps")) {
            JsonObject s = (JsonObject) step;
            EventEnvelope e = EnvelopeJson.fromJson(s.get("envelope"));
            JsonObject expect = s.getObject("expect");
            if (expect.get("ok").equals(Json.of(true))) {
                StoredEvent stored = log.append(tenant, e).eventOrNull();
                assertExpected(stored, expect);
            } else {
                assertThatThrownBy(() -> log.append(tenant, e))
                        .isInstanceOfSatisfying(DgException.class, err -> assertExpectedError(err, expect));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appendScenarios")
    void appendScenarioAsOneBatch(String name, JsonObject scenario) {
        List<EventEnvelope> envelopes = new ArrayList<>();
        List<JsonObject> expects = new ArrayList<>();
        for (Json step : scenario.getArray("steps")) {
            envelopes.add(EnvelopeJson.fromJson(((JsonObject) step).get("envelope")));
            expects.add(((JsonObject) step).getObject("expect"));
        }
        List<AppendOutcome> outcomes = log.appendBatch(tenant, envelopes);
        assertThat(outcomes).hasSize(expects.size());
        for (int i = 0; i < outcomes.size(); i++) {
            JsonObject expect = expects.get(i);
            if (expect.get("ok").equals(Json.of(true))) {
                assertExpected(outcomes.get(i).eventOrNull(), expect);
            } else {
                assertThat(outcomes.get(i)).isInstanceOfSatisfying(AppendOutcome.Rejected.class,
                        r -> assertExpectedError(r.error(), expect));
            }
        }
    }

    private static void assertExpected(StoredEvent stored, JsonObject expect) {
        assertThat(stored).isNotNull();
        assertThat(stored.logSeq()).isEqualTo(((org.decisiongraph.core.json.JsonInt) expect.get("log_seq")).longValue());
        assertThat(stored.eventId()).isEqualTo(expect.getString("event_id"));
        assertThat(stored.traceSeq()).isEqualTo(((org.decisiongraph.core.json.JsonInt) expect.get("trace_seq")).longValue());
    }

    private static void assertExpectedError(DgException err, JsonObject expect) {
        assertThat(err.code().name()).isEqualTo(expect.getString("error_code"));
        if (expect.getString("reference_message") != null) {
            assertThat(err.message()).isEqualTo(expect.getString("reference_message"));
        }
    }

    // --- golden scenarios -------------------------------------------------------------------------

    static Stream<Fixtures.Scenario> goldenScenarios() {
        return Fixtures.goldenScenarios().stream();
    }

    @Test
    void goldenBundleHasFortyEvents() {
        assertThat(goldenScenarios().mapToInt(s -> s.events().size()).sum()).isEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenScenarios")
    void goldenScenarioAppendsWithLogSeqOneToN(Fixtures.Scenario scenario) {
        Map<String, String> hashes = Fixtures.goldenPayloadHashes();
        long expected = 1;
        for (EventEnvelope e : scenario.events()) {
            AppendOutcome outcome = log.append(tenant, e);
            assertThat(outcome).isInstanceOf(AppendOutcome.Appended.class);
            StoredEvent s = outcome.eventOrNull();
            assertThat(s.logSeq()).isEqualTo(expected++);
            assertThat(s.payloadHash()).isEqualTo(hashes.get(e.eventId()));
            assertThat(s.recordedAt()).isEqualTo("2026-03-01T12:00:00.123456Z");
            assertThat(s.tenantId()).isEqualTo(tenant);
        }
        List<StoredEvent> read = log.traceEvents(tenant, scenario.traceId());
        assertThat(read).extracting(StoredEvent::envelope).containsExactlyElementsOf(scenario.events());
        assertThat(read).extracting(StoredEvent::payloadHash)
                .containsExactlyElementsOf(scenario.events().stream().map(e -> hashes.get(e.eventId())).toList());
        assertThat(log.isTraceFinished(tenant, scenario.traceId())).isTrue();
        assertThat(log.lastLogSeq(tenant)).isEqualTo(scenario.events().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenScenarios")
    void goldenScenarioHasTheSameLogSeqsInAnyTenant(Fixtures.Scenario scenario) {
        // tenant A holds every other scenario first
        String tenantA = tenant + "-a";
        for (Fixtures.Scenario other : Fixtures.goldenScenarios()) {
            if (!other.name().equals(scenario.name())) {
                log.appendBatch(tenantA, other.events());
            }
        }
        log.appendBatch(tenantA, scenario.events());
        assertThat(log.lastLogSeq(tenantA)).isEqualTo(40);

        String tenantB = tenant + "-b";
        List<AppendOutcome> outcomes = log.appendBatch(tenantB, scenario.events());
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(AppendOutcome.Appended.class));
        assertThat(outcomes).extracting(o -> o.eventOrNull().logSeq())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, scenario.events().size()).boxed().toList());
        assertThat(log.traceEvents(tenantB, scenario.traceId())).extracting(StoredEvent::logSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, scenario.events().size()).boxed().toList());
    }

    @Test
    void allFortyGoldenEventsInOneBatchAndReimportIsReused() {
        List<EventEnvelope> all = goldenScenarios().flatMap(s -> s.events().stream()).toList();
        List<AppendOutcome> first = log.appendBatch(tenant, all);
        assertThat(first).extracting(AppendOutcome::outcome).containsOnly("appended");
        assertThat(first).extracting(o -> o.eventOrNull().logSeq())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        List<AppendOutcome> again = log.appendBatch(tenant, all);
        assertThat(again).extracting(AppendOutcome::outcome).containsOnly("reused");
        assertThat(again).extracting(o -> o.eventOrNull().logSeq())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(log.eventCount(tenant)).isEqualTo(40);
        assertThat(log.traceCount(tenant)).isEqualTo(5);
    }

    // --- tenancy ----------------------------------------------------------------------------------

    @Test
    void tenantIdIsTrimmedAndNullMeansDefault() {
        log.append("  " + tenant + "\t", started("T", "k0"));
        assertThat(log.lastLogSeq(tenant)).isEqualTo(1);
        assertThat(log.traceEvents(tenant, "T")).singleElement()
                .satisfies(e -> assertThat(e.tenantId()).isEqualTo(tenant));
        assertThat(EventLog.normalizeTenant(null)).isEqualTo("default");
    }

    @Test
    void blankTenantIsRejectedEverywhere() {
        for (String blank : List.of("", "   ", "\t\n")) {
            assertThatThrownBy(() -> log.append(blank, started("T", "k0")))
                    .isInstanceOfSatisfying(DgException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
                        assertThat(e.message()).isEqualTo("tenant_id cannot be empty");
                    });
            assertThatThrownBy(() -> log.lastLogSeq(blank)).isInstanceOf(DgException.class)
                    .hasMessage("tenant_id cannot be empty");
            assertThatThrownBy(() -> log.traceEvents(blank, "T")).isInstanceOf(DgException.class);
            assertThatThrownBy(() -> log.listEvents(blank, EventQuery.ALL)).isInstanceOf(DgException.class);
        }
    }

    @Test
    void tenantsAreIsolated() {
        String other = tenant + "-other";
        log.append(tenant, started("T", "k0"));
        log.append(tenant, observed("T", 1, "k1"));
        // the same trace id, key and event id in another tenant are a different event
        AppendOutcome o = log.append(other, started("T", "k0"));
        assertThat(o).isInstanceOf(AppendOutcome.Appended.class);
        assertThat(o.eventOrNull().logSeq()).isEqualTo(1);
        assertThat(log.traceEvents(other, "T")).hasSize(1);
        assertThat(log.nextTraceSeq(tenant, "T")).isEqualTo(2);
        assertThat(log.nextTraceSeq(other, "T")).isEqualTo(1);
        assertThat(log.listEvents(other, EventQuery.ALL)).extracting(StoredEvent::eventId).containsExactly("k0-id");
    }

    // --- sequencing, reuse, D4 --------------------------------------------------------------------

    @Test
    void duplicateEventIdIsAConflict() {
        log.append(tenant, started("T1", "k0"));
        EventEnvelope sameId = envelope("k0-id", "T2", 0, "TraceStarted", "other-key", Envelopes.startedPayload("x"));
        assertThatThrownBy(() -> log.append(tenant, sameId)).isInstanceOfSatisfying(DgException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_CONFLICT);
            assertThat(e.message()).isEqualTo("event_id 'k0-id' already exists");
        });
        assertThat(log.eventCount(tenant)).isEqualTo(1);
        // and inside one batch
        List<AppendOutcome> outcomes = log.appendBatch(tenant, List.of(
                envelope("dup", "T3", 0, "TraceStarted", "a", Envelopes.startedPayload("x")),
                envelope("dup", "T4", 0, "TraceStarted", "b", Envelopes.startedPayload("x"))));
        assertThat(outcomes.get(0)).isInstanceOf(AppendOutcome.Appended.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(AppendOutcome.Rejected.class,
                r -> assertThat(r.error().message()).isEqualTo("event_id 'dup' already exists"));
    }

    @Test
    void rejectedAppendConsumesNoLogSeq() {
        log.append(tenant, started("T", "k0"));
        assertThatThrownBy(() -> log.append(tenant, observed("T", 5, "k5"))).isInstanceOf(DgException.class)
                .hasMessage("Expected trace_seq 1, got 5");
        assertThat(log.append(tenant, observed("T", 1, "k1")).eventOrNull().logSeq()).isEqualTo(2);
    }

    @Test
    void secondTraceFinishedIsRejectedAsFinished() {
        log.append(tenant, started("T", "k0"));
        log.append(tenant, finished("T", 1, "f1"));
        assertThatThrownBy(() -> log.append(tenant, finished("T", 2, "f2"))).isInstanceOfSatisfying(DgException.class,
                e -> assertThat(e.toString()).isEqualTo("DG_ERR_CONFLICT: Trace 'T' is already finished"));
    }

    @Test
    void reusedEventIsTheStoredOneWithParsedPayload() {
        EventEnvelope first = envelope("e1", "T", 0, "TraceStarted", "k",
                Json.parse("{\"workflow\":\"w\",\"title\":\"t\",\"primary_entity\":{\"entity_type\":\"a\",\"entity_id\":\"b\"},\"z\":1,\"a\":[1,2]}"));
        log.append(tenant, first);
        EventEnvelope retry = new EventEnvelope("e2", "T", 7, "TraceStarted", "2030-01-01T00:00:00Z",
                Envelopes.SOURCE, Envelopes.ACTOR, "k", first.payload(), null, null, 1, List.of());
        AppendOutcome o = log.append(tenant, retry);
        assertThat(o).isInstanceOf(AppendOutcome.Reused.class);
        StoredEvent s = o.eventOrNull();
        assertThat(s.eventId()).isEqualTo("e1");
        assertThat(s.traceSeq()).isZero();
        assertThat(s.occurredAt()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(s.payload()).isEqualTo(first.payload());
        assertThat(s.recordedAt()).isEqualTo("2026-03-01T12:00:00.123456Z");
    }

    @Test
    void envelopeFieldsRoundTripThroughStorage() {
        Json payload = Json.parse("{\"workflow\":\"w\u00e9\",\"title\":\"\ud83d\ude00 \\\"q\\\" \\n\","
                + "\"primary_entity\":{\"entity_type\":\"a\",\"entity_id\":\"b\",\"system\":null},"
                + "\"big\":18446744073709551616,\"neg\":-5,\"t\":true,\"n\":null,\"nested\":{\"x\":[{},[]]}}");
        EventEnvelope e = new EventEnvelope("id-\u00e9", "trace-\u00fc", 0, "TraceStarted", "not a timestamp",
                new org.decisiongraph.core.event.Source("prod", "sys", "sub"),
                new org.decisiongraph.core.event.Actor("person", "\u00e4ctor"), "  ", payload, "corr", "cause", -3,
                List.of("b", "a", "\u00e9"));
        log.append(tenant, e);
        StoredEvent read = log.traceEvents(tenant, "trace-\u00fc").get(0);
        assertThat(read.envelope()).isEqualTo(e);
        assertThat(log.listEvents(tenant, EventQuery.ALL.withTraceId("trace-\u00fc"))).singleElement()
                .satisfies(s -> assertThat(s.envelope()).isEqualTo(e));
    }

    // --- batches ----------------------------------------------------------------------------------

    @Test
    void batchWithARejectedEventInTheMiddleCommitsTheOthers() {
        List<AppendOutcome> outcomes = log.appendBatch(tenant, List.of(
                started("T", "k0"),
                envelope("bad", "T", 1, "Nope", "k-bad", Json.obj()),
                observed("T", 1, "k1"),
                observed("T", 3, "k3"),
                observed("T", 2, "k2")));
        assertThat(outcomes).extracting(AppendOutcome::outcome)
                .containsExactly("appended", "rejected", "appended", "rejected", "appended");
        assertThat(((AppendOutcome.Rejected) outcomes.get(1)).error().message()).isEqualTo("Unknown event_type 'Nope'");
        assertThat(((AppendOutcome.Rejected) outcomes.get(3)).error().message()).isEqualTo("Expected trace_seq 2, got 3");
        assertThat(log.traceEvents(tenant, "T")).extracting(StoredEvent::logSeq).containsExactly(1L, 2L, 3L);
        assertThat(log.traceEvents(tenant, "T")).extracting(StoredEvent::eventId).containsExactly("k0-id", "k1-id", "k2-id");
    }

    @Test
    void batchStopsAtFirstRejectionWhenAsked() {
        List<AppendOutcome> outcomes = log.appendBatch(tenant, List.of(
                started("T", "k0"), observed("T", 1, "k1"), observed("T", 9, "k9"), observed("T", 2, "k2")), true);
        assertThat(outcomes).extracting(AppendOutcome::outcome).containsExactly("appended", "appended", "rejected");
        assertThat(log.eventCount(tenant)).isEqualTo(2);

        List<AppendOutcome> invalidFirst = log.appendBatch(tenant, List.of(
                envelope("x", "U", 0, "Nope", "kx", Json.obj()), started("U", "u0")), true);
        assertThat(invalidFirst).extracting(AppendOutcome::outcome).containsExactly("rejected");
        assertThat(log.eventCount(tenant)).isEqualTo(2);
    }

    @Test
    void emptyBatchDoesNothing() {
        assertThat(log.appendBatch(tenant, List.of())).isEmpty();
        assertThat(log.lastLogSeq(tenant)).isZero();
    }

    // --- reads ------------------------------------------------------------------------------------

    private void appendTwoTraces() {
        log.appendBatch(tenant, List.of(
                started("A", "a0"), started("B", "b0"), observed("A", 1, "a1"), observed("B", 1, "b1"),
                finished("A", 2, "a2"), observed("B", 2, "b2")));
    }

    @Test
    void listEventsFiltersAndOrdersByLogSeq() {
        appendTwoTraces();
        assertThat(log.listEvents(tenant, EventQuery.ALL)).extracting(StoredEvent::logSeq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(log.listEvents(tenant, new EventQuery(2L, 5L, null, null, null))).extracting(StoredEvent::logSeq)
                .containsExactly(3L, 4L, 5L);
        assertThat(log.listEvents(tenant, EventQuery.ALL.withEventType("EntityObserved")))
                .extracting(StoredEvent::eventId).containsExactly("a1-id", "b1-id", "b2-id");
        assertThat(log.listEvents(tenant, EventQuery.ALL.withTraceId("B").withLimit(2)))
                .extracting(StoredEvent::eventId).containsExactly("b0-id", "b1-id");
        assertThat(log.listEvents(tenant, new EventQuery(3L, 3L, null, null, null))).isEmpty();
        assertThat(log.listEvents(tenant, EventQuery.since(6))).isEmpty();
    }

    @Test
    void listEventsValidatesItsArguments() {
        assertInvalid(() -> new EventQuery(5L, 4L, null, null, null), "since_log_seq (5) must be <= until_log_seq (4)");
        assertInvalid(() -> EventQuery.ALL.withLimit(10_001), "limit must be <= 10000, got 10001");
        assertInvalid(() -> EventQuery.ALL.withLimit(0), "limit must be positive, got 0");
        assertInvalid(() -> EventQuery.ALL.withLimit(-1), "limit must be positive, got -1");
        assertInvalid(() -> EventQuery.since(-1), "log sequence values must be non-negative, got -1");
        assertInvalid(() -> EventQuery.ALL.withUntil(-2L), "log sequence values must be non-negative, got -2");
        assertThat(EventQuery.ALL.withLimit(10_000).limit()).isEqualTo(10_000);
        assertThat(EventQuery.ALL.withLimit(1).limit()).isEqualTo(1);
    }

    @Test
    void traceEventsSinceAndLimit() {
        appendTwoTraces();
        assertThat(log.traceEvents(tenant, "B", 0L, null)).extracting(StoredEvent::traceSeq).containsExactly(1L, 2L);
        assertThat(log.traceEvents(tenant, "B", null, 1)).extracting(StoredEvent::traceSeq).containsExactly(0L);
        assertThat(log.traceEvents(tenant, "B", 2L, null)).isEmpty();
        assertThat(log.traceEvents(tenant, "unknown")).isEmpty();
        assertInvalid(() -> log.traceEvents(tenant, "B", null, 10_001), "limit must be <= 10000, got 10001");
        assertInvalid(() -> log.traceEvents(tenant, "B", null, 0), "limit must be positive, got 0");
        assertInvalid(() -> log.traceEvents(tenant, "B", -1L, null), "since_trace_seq must be non-negative, got -1");
    }

    @Test
    void traceStateQueries() {
        appendTwoTraces();
        assertThat(log.isTraceFinished(tenant, "A")).isTrue();
        assertThat(log.isTraceFinished(tenant, "B")).isFalse();
        assertThat(log.isTraceFinished(tenant, "nope")).isFalse();
        assertThat(log.nextTraceSeq(tenant, "A")).isEqualTo(3);
        assertThat(log.nextTraceSeq(tenant, "B")).isEqualTo(3);
        assertThat(log.nextTraceSeq(tenant, "nope")).isZero();
        assertThat(log.lastLogSeq(tenant)).isEqualTo(6);
        assertThat(log.lastLogSeq(tenant + "-empty")).isZero();
        assertThat(log.eventCount(tenant)).isEqualTo(6);
        assertThat(log.traceCount(tenant)).isEqualTo(2);
    }

    @Test
    void batchesPageThroughTheLogWithoutDropsOrRepeats() {
        List<EventEnvelope> events = new ArrayList<>();
        for (int t = 0; t < 25; t++) {
            events.add(started("T" + t, "s" + t));
            for (int s = 1; s <= 3; s++) {
                events.add(observed("T" + t, s, "e" + t + "-" + s));
            }
        }
        log.appendBatch(tenant, events);
        List<Long> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (List<StoredEvent> page : log.batches(tenant, 0, null, 7)) {
            sizes.add(page.size());
            page.forEach(e -> seen.add(e.logSeq()));
        }
        assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(sizes).hasSize(15).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(7));

        List<Long> window = new ArrayList<>();
        log.batches(tenant, 10, 33L, 10).forEach(p -> p.forEach(e -> window.add(e.logSeq())));
        assertThat(window).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(11, 33).boxed().toList());
        assertThat(log.batches(tenant, 100, null, 10)).isEmpty();
        assertInvalid(() -> log.batches(tenant, 0, null, 0), "batch_size must be positive");
        assertInvalid(() -> log.batches(tenant, 5, 4L, 10), "since_log_seq (5) must be <= until_log_seq (4)");
    }

    // --- bad input: each gets its code, nothing of it is stored ------------------------------------

    static Stream<Arguments> badEnvelopes() {
        Json started = Envelopes.startedPayload("x");
        return Stream.of(
                Arguments.of("unknown event type", envelope("e", "T", 0, "TraceBegun", "k", started),
                        ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Unknown event_type 'TraceBegun'"),
                Arguments.of("platform type under the reference set",
                        envelope("e", "T", 0, "WorkflowReviewRequested", "k", Json.obj()),
                        ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Unknown event_type 'WorkflowReviewRequested'"),
                Arguments.of("payload not an object", envelope("e", "T", 0, "TraceStarted", "k", JsonArray.empty()),
                        ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Payload must be a dict"),
                Arguments.of("missing field", envelope("e", "T", 0, "TraceStarted", "k", Json.obj("workflow", Json.of("w"))),
                        ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Missing or invalid string for '$.title'"),
                Arguments.of("float", envelope("e", "T", 0, "TraceStarted", "k",
                                ((JsonObject) started).with("score", Json.parse("1.5"))),
                        ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Float found at '$.score': 1.5. Use string representation for decimals."),
                Arguments.of("pii", envelope("e", "T", 0, "TraceStarted", "k",
                                ((JsonObject) started).with("note", Json.of("my password=hunter2"))),
                        ErrorCode.DG_ERR_PII_POLICY_VIOLATION, "Forbidden content 'password=' found at '$.payload.note'"),
                Arguments.of("empty idempotency key", envelope("e", "T", 0, "TraceStarted", "", started),
                        ErrorCode.DG_ERR_INVALID_ARGUMENT, "Idempotency key cannot be empty"),
                Arguments.of("long idempotency key", envelope("e", "T", 0, "TraceStarted", "k".repeat(201), started),
                        ErrorCode.DG_ERR_INVALID_ARGUMENT, "Idempotency key exceeds 200 bytes (got 201 bytes)"),
                Arguments.of("lone surrogate", envelope("e", "T", 0, "TraceStarted", "k",
                                ((JsonObject) started).with("s", new JsonString("a\ud800b"))),
                        ErrorCode.DG_ERR_INVALID_ARGUMENT, "Payload is not JSON-serializable: unpaired UTF-16 surrogate at '$.s'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEnvelopes")
    void badEnvelopeIsRejectedAndNothingIsStored(String name, EventEnvelope bad, ErrorCode code, String message) {
        assertThatThrownBy(() -> log.append(tenant, bad)).isInstanceOfSatisfying(DgException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.message()).isEqualTo(message);
        });
        assertThat(log.appendBatch(tenant, List.of(bad, started("T2", "ok")))).extracting(AppendOutcome::outcome)
                .containsExactly("rejected", "appended");
        assertThat(log.listEvents(tenant, EventQuery.ALL)).extracting(StoredEvent::eventId).containsExactly("ok-id");
    }

    @Test
    void payloadSizeLimitIsOneMebibyteOfCanonicalJson() {
        JsonObject base = ((JsonObject) Envelopes.startedPayload("x")).with("blob", Json.of(""));
        int room = db.config().maxPayloadBytes() - base.toCanonical().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(db.config().maxPayloadBytes()).isEqualTo(1 << 20);
        EventEnvelope atLimit = envelope("e1", "T", 0, "TraceStarted", "k1", base.with("blob", Json.of("x".repeat(room))));
        assertThat(log.append(tenant, atLimit)).isInstanceOf(AppendOutcome.Appended.class);
        assertThat(log.traceEvents(tenant, "T").get(0).payload()).isEqualTo(atLimit.payload());
        EventEnvelope over = envelope("e2", "U", 0, "TraceStarted", "k2", base.with("blob", Json.of("\u00e9" + "x".repeat(room - 1))));
        assertThatThrownBy(() -> log.append(tenant, over)).isInstanceOfSatisfying(DgException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
            assertThat(e.message()).isEqualTo("Payload exceeds 1048576 bytes (got 1048577 bytes)");
        });
        assertThat(log.eventCount(tenant)).isEqualTo(1);
    }

    @Test
    void platformEventTypeSetAcceptsWorkflowReviewRequested() {
        EventLog platform = EventLog.open(db, EventTypeSet.PLATFORM, CLOCK);
        Json payload = Json.parse("{\"template_id\":\"t\",\"workflow_kind\":\"k\",\"title\":\"x\",\"reason\":\"r\","
                + "\"priority\":\"high\",\"assignee\":{},\"subject\":{\"subject_type\":\"trace\",\"subject_id\":\"T\"},"
                + "\"simulation\":{},\"sla_hours\":4}");
        platform.append(tenant, started("T", "k0"));
        assertThat(platform.append(tenant, envelope("w", "T", 1, "WorkflowReviewRequested", "kw", payload)))
                .isInstanceOf(AppendOutcome.Appended.class);
        assertThat(log.traceEvents(tenant, "T")).extracting(StoredEvent::eventType)
                .containsExactly("TraceStarted", "WorkflowReviewRequested");
    }

    // --- backstops: unique indexes and triggers map to the same codes on every backend ---------------

    private SqlErrors.InsertFailure rawInsertFailure(StoredEvent event) {
        EventRows.Row row = new EventRows.Row(event, org.decisiongraph.core.json.JsonWriter.pythonStorage(event.payload()), "[]", ChainHash.next(ChainHash.GENESIS, event));
        DgException e = org.junit.jupiter.api.Assertions.assertThrows(DgException.class,
                () -> db.tx().write(h -> {
                    LogAccess.of(db.dialect(), h).insertOne(row);
                    return null;
                }));
        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_STORAGE);
        assertThat(e.message()).startsWith("Database error: ");
        return SqlErrors.classifyInsert((java.sql.SQLException) e.getCause());
    }

    private StoredEvent stored(EventEnvelope e, long logSeq) {
        return new StoredEvent(tenant, logSeq, "2026-03-01T12:00:00.000000Z", Hashing.payloadHash(e.payload()), e);
    }

    @Test
    void uniqueIndexesAndFinishTriggerAreBackstopsWithTheSpecMapping() {
        log.append(tenant, started("T", "k0"));
        log.append(tenant, observed("T", 1, "k1"));
        assertThat(rawInsertFailure(stored(observed("T", 1, "other"), 3))).isEqualTo(SqlErrors.InsertFailure.TRACE_SEQ);
        assertThat(rawInsertFailure(stored(envelope("new-id", "U", 0, "TraceStarted", "k0", Envelopes.startedPayload("x")), 3)))
                .isEqualTo(SqlErrors.InsertFailure.IDEMPOTENCY);
        assertThat(rawInsertFailure(stored(envelope("k0-id", "U", 0, "TraceStarted", "fresh", Envelopes.startedPayload("x")), 3)))
                .isEqualTo(SqlErrors.InsertFailure.EVENT_ID);
        // caller data that looks like a rule name never steers the mapping
        String trickyId = "trace_finished-idempotency-trace_seq";
        log.append(tenant, envelope(trickyId, "V", 0, "TraceStarted", "kv", Envelopes.startedPayload("x")));
        assertThat(rawInsertFailure(stored(envelope(trickyId, "W", 0, "TraceStarted", "kw", Envelopes.startedPayload("x")), 4)))
                .isEqualTo(SqlErrors.InsertFailure.EVENT_ID);
        log.append(tenant, finished("T", 2, "k2"));
        assertThat(rawInsertFailure(stored(observed("T", 3, "k3"), 5))).isEqualTo(SqlErrors.InsertFailure.TRACE_FINISHED);
        // a second TraceFinished is blocked too (decision D6)
        assertThat(rawInsertFailure(stored(finished("T", 3, "k4"), 5))).isEqualTo(SqlErrors.InsertFailure.TRACE_FINISHED);
        assertThat(log.eventCount(tenant)).isEqualTo(4);
    }

    @Test
    void theLogIsAppendOnly() {
        log.append(tenant, started("T", "k0"));
        for (String sql : List.of("UPDATE dg_event_log SET trace_id = 'X' WHERE tenant_id = ?",
                "DELETE FROM dg_event_log WHERE tenant_id = ?")) {
            assertThatThrownBy(() -> db.tx().write(h -> {
                var ps = h.prepare(sql);
                ps.setString(1, tenant);
                return ps.executeUpdate();
            })).isInstanceOfSatisfying(DgException.class,
                    e -> assertThat(e.message()).contains("dg_event_log is append-only"));
        }
        assertThat(log.traceEvents(tenant, "T")).singleElement().satisfies(e -> assertThat(e.traceId()).isEqualTo("T"));
    }

    // --- concurrency ------------------------------------------------------------------------------

    private static <T> List<T> runAll(int threads, java.util.function.IntFunction<java.util.concurrent.Callable<T>> task)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(task.apply(i)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean isSequenceError(DgException e) {
        return e.code() == ErrorCode.DG_ERR_EVENT_SEQUENCE_INVALID;
    }

    @Test
    void eightWritersOnOneTraceExactlyOneWinsEachTraceSeq() throws Exception {
        log.append(tenant, started("T", "s"));
        int threads = 8;
        int rounds = 15;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<List<Long>> wins = runAll(threads, w -> () -> {
            List<Long> won = new ArrayList<>();
            for (long seq = 1; seq <= rounds; seq++) {
                barrier.await(60, TimeUnit.SECONDS);
                try {
                    log.append(tenant, observed("T", seq, "w" + w + "-" + seq));
                    won.add(seq);
                } catch (DgException e) {
                    assertThat(isSequenceError(e)).as(e.toString()).isTrue();
                }
                barrier.await(60, TimeUnit.SECONDS);
            }
            return won;
        });
        List<Long> all = wins.stream().flatMap(List::stream).sorted().toList();
        assertThat(all).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, rounds).boxed().toList());
        List<StoredEvent> events = log.traceEvents(tenant, "T");
        assertThat(events).extracting(StoredEvent::traceSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, rounds).boxed().toList());
        assertThat(log.listEvents(tenant, EventQuery.ALL)).extracting(StoredEvent::logSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, rounds + 1).boxed().toList());
    }

    @Test
    void eightWritersOnDistinctTracesLoseNothingAndLogSeqIsGapFree() throws Exception {
        int threads = 8;
        int perTrace = 25;
        runAll(threads, w -> () -> {
            String trace = "T" + w;
            log.append(tenant, started(trace, trace + "-0"));
            for (int seq = 1; seq < perTrace; seq++) {
                if (seq % 5 == 0) {
                    log.appendBatch(tenant, List.of(observed(trace, seq, trace + "-" + seq),
                            observed(trace, seq + 1, trace + "-" + (seq + 1))));
                    seq++;
                } else {
                    log.append(tenant, observed(trace, seq, trace + "-" + seq));
                }
            }
            return null;
        });
        List<StoredEvent> all = log.listEvents(tenant, EventQuery.ALL);
        assertThat(all).extracting(StoredEvent::logSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, threads * perTrace).boxed().toList());
        for (int w = 0; w < threads; w++) {
            assertThat(log.traceEvents(tenant, "T" + w)).extracting(StoredEvent::traceSeq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, perTrace).boxed().toList());
        }
    }

    @Test
    void twentyFourIdempotentRetriesRacingStoreOneEventAndAllGetIt() throws Exception {
        log.append(tenant, started("T", "s"));
        int writers = 24;
        CyclicBarrier barrier = new CyclicBarrier(writers);
        List<AppendOutcome> outcomes = runAll(writers, w -> () -> {
            barrier.await(60, TimeUnit.SECONDS);
            return log.append(tenant, envelope("writer-" + w, "T", 1, "EntityObserved", "same-key",
                    Envelopes.observedPayload("x")));
        });
        assertThat(outcomes).filteredOn(o -> o instanceof AppendOutcome.Appended).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof AppendOutcome.Reused).hasSize(writers - 1);
        assertThat(outcomes).extracting(o -> o.eventOrNull().eventId()).containsOnly(outcomes.stream()
                .filter(o -> o instanceof AppendOutcome.Appended).findFirst().orElseThrow().eventOrNull().eventId());
        assertThat(outcomes).extracting(o -> o.eventOrNull().logSeq()).containsOnly(2L);
        assertThat(log.eventCount(tenant)).isEqualTo(2);
    }

    @Test
    void aFinishRacingWritersLeavesExactlyOneTraceFinishedAtTheEnd() throws Exception {
        log.append(tenant, started("T", "s"));
        AtomicLong appended = new AtomicLong();
        AtomicInteger conflicts = new AtomicInteger();
        List<String> results = runAll(7, w -> () -> {
            if (w == 0) {
                while (appended.get() < 20) {
                    Thread.onSpinWait();
                }
                for (int attempt = 0; attempt < 1000; attempt++) {
                    try {
                        log.append(tenant, finished("T", log.nextTraceSeq(tenant, "T"), "finish:T"));
                        return "finished";
                    } catch (DgException e) {
                        assertThat(isSequenceError(e)).as(e.toString()).isTrue();
                    }
                }
                return "gave up";
            }
            for (int i = 0; i < 2000; i++) {
                try {
                    log.append(tenant, observed("T", log.nextTraceSeq(tenant, "T"), "w" + w + "-" + i));
                    appended.incrementAndGet();
                } catch (DgException e) {
                    if (e.code() == ErrorCode.DG_ERR_CONFLICT) {
                        assertThat(e.message()).isEqualTo("Trace 'T' is already finished");
                        conflicts.incrementAndGet();
                        return "stopped";
                    }
                    assertThat(isSequenceError(e)).as(e.toString()).isTrue();
                }
            }
            return "ran out";
        });
        assertThat(results).containsExactly("finished", "stopped", "stopped", "stopped", "stopped", "stopped", "stopped");
        List<StoredEvent> events = log.traceEvents(tenant, "T");
        assertThat(events).filteredOn(e -> e.eventType().equals("TraceFinished")).hasSize(1);
        assertThat(events.get(events.size() - 1).eventType()).isEqualTo("TraceFinished");
        assertThat(events).extracting(StoredEvent::traceSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, events.size()).boxed().toList());
        assertThatThrownBy(() -> log.append(tenant, observed("T", events.size(), "late")))
                .isInstanceOfSatisfying(DgException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_CONFLICT));
    }

    @Test
    void aReaderFollowingLogSeqNeverSkipsAnEventThatCommitsLate() throws Exception {
        int total = 1200;
        AtomicBoolean writersDone = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // three writers with slow (big batch), medium and fast (single event) transactions
            List<Future<?>> writers = new ArrayList<>();
            int[] batchSizes = {200, 20, 1};
            for (int w = 0; w < 3; w++) {
                int size = batchSizes[w];
                String prefix = "w" + w;
                writers.add(pool.submit(() -> {
                    int trace = 0;
                    while (written.get() < total) {
                        List<EventEnvelope> batch = new ArrayList<>();
                        for (int i = 0; i < size; i++) {
                            batch.add(started(prefix + "-T" + trace, prefix + "-" + trace));
                            trace++;
                        }
                        log.appendBatch(tenant, batch);
                        written.addAndGet(size);
                    }
                    return null;
                }));
            }
            Future<List<Long>> reader = pool.submit(() -> {
                List<Long> seen = new ArrayList<>();
                long cursor = 0;
                while (true) {
                    boolean done = writersDone.get();
                    List<StoredEvent> page = log.listEvents(tenant, EventQuery.since(cursor).withLimit(500));
                    for (StoredEvent e : page) {
                        // the next event a follower sees is always cursor + 1: nothing was skipped
                        assertThat(e.logSeq()).isEqualTo(cursor + 1);
                        cursor = e.logSeq();
                        seen.add(cursor);
                    }
                    if (done && page.isEmpty()) {
                        return seen;
                    }
                }
            });
            for (Future<?> w : writers) {
                w.get(120, TimeUnit.SECONDS);
            }
            writersDone.set(true);
            List<Long> seen = reader.get(120, TimeUnit.SECONDS);
            long last = log.lastLogSeq(tenant);
            assertThat(last).isGreaterThanOrEqualTo(total);
            assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, last).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    // --- durability: a killed writer loses no acknowledged event and leaves nothing half-written ------

    @Test
    void acknowledgedEventsSurviveAKilledWriterExactlyOnce() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DurabilityChild.class.getName()));
        command.addAll(childArgs(location));
        command.add(tenant);
        Path stderr = Files.createTempFile("dg-durability-child", ".log");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        Map<String, Long> acked = new java.util.LinkedHashMap<>();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                acked.put(parts[1], Long.parseLong(parts[2]));
                if (acked.size() == 600) {
                    // SIGKILL in the middle of the load; keep reading what it acknowledged before dying
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).as("child stderr: %s", Files.readString(stderr)).hasSizeGreaterThanOrEqualTo(600);
        assertThat(child.exitValue()).as("the child was killed, it did not finish").isEqualTo(137);

        try (Database reopened = open(location)) {
            EventLog after = EventLog.open(reopened, EventTypeSet.REFERENCE, CLOCK);
            List<StoredEvent> all = new ArrayList<>();
            after.batches(tenant, 0, null, 1000).forEach(all::addAll);
            // every acknowledged event is there, once, with the log_seq it was acknowledged with
            Map<String, Long> stored = new java.util.HashMap<>();
            for (StoredEvent e : all) {
                assertThat(stored.put(e.eventId(), e.logSeq())).as("duplicate %s", e.eventId()).isNull();
                // nothing half-written: every row parses back and its payload still has its hash
                assertThat(Hashing.payloadHash(e.payload())).isEqualTo(e.payloadHash());
            }
            acked.forEach((id, seq) -> assertThat(stored.get(id)).as(id).isEqualTo(seq));
            assertThat(all).extracting(StoredEvent::logSeq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, all.size()).boxed().toList());
            // and the log goes on where it stopped
            long next = after.append(tenant, started("after-restart", "after-restart")).eventOrNull().logSeq();
            assertThat(next).isEqualTo(all.size() + 1);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DgException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
            assertThat(e.message()).isEqualTo(message);
        });
    }
}
