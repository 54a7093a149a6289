package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.EventQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImportCommandTest {
    @TempDir
    Path dir;

    private static List<JsonObject> lines(String out) {
        return out.lines().map(l -> (JsonObject) JsonParser.parse(l)).toList();
    }

    private List<StoredEvent> stored(Path db, String tenant) {
        try (Database d = Database.sqliteReadOnly(db)) {
            return EventLog.open(d, EventTypeSet.PLATFORM, Clock.systemUTC()).listEvents(tenant, EventQuery.ALL);
        }
    }

    @Test
    void fixtureBundleIntoAFreshFileThenAgainIsReused() throws Exception {
        Path db = dir.resolve("new/dg.db");
        CliRun first = CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        List<String> out = first.out().lines().toList();
        assertThat(out).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(out.get(i)).isEqualTo("{\"index\":" + i + ",\"outcome\":\"appended\",\"log_seq\":" + (i + 1)
                    + ",\"error_code\":null,\"message\":null}");
        }
        assertThat(first.err()).contains("40 events: 40 appended, 0 reused, 0 rejected");

        CliRun again = CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString());
        assertThat(again.exitCode()).isZero();
        List<String> reused = again.out().lines().toList();
        assertThat(reused).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(reused.get(i)).isEqualTo("{\"index\":" + i + ",\"outcome\":\"reused\",\"log_seq\":" + (i + 1)
                    + ",\"error_code\":null,\"message\":null}");
        }
        List<StoredEvent> events = stored(db, "default");
        assertThat(events).extracting(StoredEvent::envelope).containsExactlyElementsOf(GoldenFiles.allEvents());
    }

    @Test
    void tenantOptionImportsIntoThatTenant() throws Exception {
        Path db = dir.resolve("dg.db");
        CliRun run = CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString(), "--tenant", " acme ", "--quiet");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("import: 40 events: 40 appended, 0 reused, 0 rejected\n");
        assertThat(stored(db, "acme")).hasSize(40);
        assertThat(stored(db, "default")).isEmpty();
        assertThat(CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString(), "--tenant", " ").exitCode())
                .isEqualTo(2);
    }

    @Test
    void eventsDocumentOfOneScenario() throws Exception {
        JsonObject scenario = GoldenFiles.scenarios().get(2);
        Path file = dir.resolve("events.json");
        Files.writeString(file, JsonWriter.prettyRaw(Json.obj("scenario", scenario.get("scenario"),
                "trace_id", scenario.get("trace_id"), "events", scenario.get("events"))));
        Path db = dir.resolve("dg.db");
        CliRun run = CliRun.dg("import", db.toString(), file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(lines(run.out())).extracting(o -> o.getString("outcome")).hasSize(scenario.getArray("events").size())
                .containsOnly("appended");
    }

    @Test
    void referenceLayoutSqliteFileIsCopiedInLogSeqOrder() throws Exception {
        Path source = dir.resolve("reference.db");
        ReferenceLayoutFile.create(source, GoldenFiles.allEvents(), "2026-03-01T12:00:00.123456Z");
        byte[] before = Files.readAllBytes(source);
        Path db = dir.resolve("copy.db");
        CliRun run = CliRun.dg("import", db.toString(), source.toString(), "--tenant", "t1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(lines(run.out())).extracting(o -> o.get("log_seq").toString()).hasSize(40);
        assertThat(stored(db, "t1")).extracting(StoredEvent::envelope).containsExactlyElementsOf(GoldenFiles.allEvents());
        assertThat(Files.readAllBytes(source)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("reference")))
                    .containsExactly("reference.db");
        }
    }

    static String validLine(String eventId, String trace) {
        return "{\"event_id\":\"" + eventId + "\",\"trace_id\":\"" + trace + "\",\"trace_seq\":0,"
                + "\"event_type\":\"TraceStarted\",\"occurred_at\":\"2026-01-01T00:00:00Z\","
                + "\"source\":{\"producer_id\":\"p\",\"system\":\"s\",\"subsystem\":null},"
                + "\"actor\":{\"actor_type\":\"agent\",\"actor_id\":\"a\"},\"idempotency_key\":\"" + eventId + "\","
                + "\"payload\":{\"workflow\":\"w\",\"title\":\"t\",\"primary_entity\":{\"entity_type\":\"e\",\"entity_id\":\"1\"}},"
                + "\"correlation_id\":null,\"causation_event_id\":null,\"schema_version\":1,\"tags\":[]}";
    }

    /** Replaces one field (a dotted path) of a valid envelope line with {@code value}. */
    static String withField(String path, Json value) {
        JsonObject o = (JsonObject) JsonParser.parse(validLine("bad", "B"));
        String[] parts = path.split("\\.");
        if (parts.length == 1) {
            o = o.with(parts[0], value);
        } else {
            o = o.with(parts[0], o.getObject(parts[0]).with(parts[1], value));
        }
        return JsonWriter.ascii(o);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("event_id", Json.of(5)), Arguments.of("trace_id", Json.obj()),
                Arguments.of("trace_seq", Json.of("0")), Arguments.of("trace_seq", Json.parse("1.5")),
                Arguments.of("event_type", Json.of(true)), Arguments.of("occurred_at", Json.array(List.of())),
                Arguments.of("source", Json.of("p")), Arguments.of("source.producer_id", Json.of(1)),
                Arguments.of("source.system", Json.parse("null")), Arguments.of("source.subsystem", Json.of(2)),
                Arguments.of("actor", Json.array(List.of())), Arguments.of("actor.actor_type", Json.of(3)),
                Arguments.of("actor.actor_id", Json.obj()), Arguments.of("idempotency_key", Json.of(4)),
                Arguments.of("correlation_id", Json.of(6)), Arguments.of("causation_event_id", Json.of(false)),
                Arguments.of("schema_version", Json.of("1")), Arguments.of("tags", Json.of("t")),
                Arguments.of("tags", Json.array(List.of(Json.of(1)))));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypes")
    void wrongTypeInAnEnvelopeFieldIsRejectedAndNotStored(String field, Json value) throws Exception {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, withField(field, value) + "\n" + validLine("ok", "OK") + "\n");
        Path db = dir.resolve("dg.db");
        CliRun run = CliRun.dg("import", db.toString(), file.toString());
        assertThat(run.exitCode()).isZero();
        List<JsonObject> out = lines(run.out());
        assertThat(out.get(0).getString("outcome")).isEqualTo("rejected");
        assertThat(out.get(0).getString("error_code")).isEqualTo("DG_ERR_INVALID_ARGUMENT");
        assertThat(out.get(0).getString("message")).contains("'" + field + "'");
        assertThat(out.get(0).get("log_seq").isNull()).isTrue();
        assertThat(out.get(1).getString("outcome")).isEqualTo("appended");
        assertThat(stored(db, "default")).extracting(StoredEvent::eventId).containsExactly("ok");
    }

    @Test
    void badLinesGetTheirCodesAndTheRestIsAppended() throws Exception {
        String oversized = validLine("big", "BIG").replace("\"title\":\"t\"", "\"title\":\"" + "x".repeat(1 << 20) + "\"");
        List<String> input = List.of(
                validLine("e0", "T0"),
                "{\"event_id\": \"broken\", ",
                "not json at all",
                validLine("e3", "T3").replace("TraceStarted", "TraceBegun"),
                "[1, 2]",
                oversized,
                validLine("e6", "T6").replace("\"title\":\"t\"", "\"title\":\"t\",\"score\":0.5"),
                validLine("e7", "T7").replace("\"title\":\"t\"", "\"title\":\"sk-live-123\""),
                "",
                validLine("e0", "T0"),
                validLine("e9", "T9"));
        Path file = dir.resolve("in.jsonl");
        Files.write(file, (String.join("\n", input) + "\n").getBytes(StandardCharsets.UTF_8));
        Path db = dir.resolve("dg.db");
        CliRun run = CliRun.dg("import", db.toString(), file.toString());
        assertThat(run.exitCode()).isZero();
        List<JsonObject> out = lines(run.out());
        assertThat(out).extracting(o -> o.get("index").toString()).hasSize(10);
        assertThat(out).extracting(o -> o.getString("outcome")).containsExactly("appended", "rejected", "rejected",
                "rejected", "rejected", "rejected", "rejected", "rejected", "reused", "appended");
        assertThat(out).extracting(o -> o.getString("error_code")).containsExactly(null, "DG_ERR_INVALID_ARGUMENT",
                "DG_ERR_INVALID_ARGUMENT", "DG_ERR_SCHEMA_VIOLATION", "DG_ERR_INVALID_ARGUMENT",
                "DG_ERR_INVALID_ARGUMENT", "DG_ERR_SCHEMA_VIOLATION", "DG_ERR_PII_POLICY_VIOLATION", null, null);
        assertThat(out.get(3).getString("message")).isEqualTo("Unknown event_type 'TraceBegun'");
        assertThat(out.get(5).getString("message")).startsWith("Payload exceeds 1048576 bytes (got ");
        assertThat(out.get(6).getString("message"))
                .isEqualTo("Float found at '$.score': 0.5. Use string representation for decimals.");
        assertThat(out.get(8).toString()).contains("\"log_seq\"");
        assertThat(stored(db, "default")).extracting(StoredEvent::eventId).containsExactly("e0", "e9");
        assertThat(stored(db, "default")).extracting(StoredEvent::logSeq).containsExactly(1L, 2L);
        assertThat(run.err()).contains("10 events: 2 appended, 1 reused, 7 rejected");
    }

    @Test
    void failFastStopsAtTheFirstRejection() throws Exception {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, String.join("\n", validLine("a", "A"), validLine("b", "B"),
                validLine("c", "C").replace("\"trace_seq\":0", "\"trace_seq\":1"), validLine("d", "D")) + "\n");
        Path db = dir.resolve("dg.db");
        CliRun run = CliRun.dg("import", db.toString(), file.toString(), "--fail-fast");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(lines(run.out())).extracting(o -> o.getString("outcome")).containsExactly("appended", "appended", "rejected");
        assertThat(lines(run.out()).get(2).getString("message")).isEqualTo("Expected trace_seq 0, got 1");
        assertThat(stored(db, "default")).extracting(StoredEvent::eventId).containsExactly("a", "b");

        Path unreadable = dir.resolve("in2.jsonl");
        Files.writeString(unreadable, validLine("x", "X") + "\n{oops\n" + validLine("y", "Y") + "\n");
        CliRun second = CliRun.dg("import", db.toString(), unreadable.toString(), "--fail-fast");
        assertThat(second.exitCode()).isEqualTo(3);
        assertThat(lines(second.out())).extracting(o -> o.getString("outcome")).containsExactly("appended", "rejected");
        assertThat(stored(db, "default")).extracting(StoredEvent::eventId).containsExactly("a", "b", "x");
    }

    @Test
    void unreadableInputOrDatabaseExitsOne() throws Exception {
        Path db = dir.resolve("dg.db");
        CliRun missing = CliRun.dg("import", db.toString(), dir.resolve("nope.jsonl").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Error: cannot read '");
        assertThat(db).doesNotExist();

        Path notEvents = dir.resolve("other.json");
        Files.writeString(notEvents, "{\n  \"hello\": 1\n}\n");
        assertThat(CliRun.dg("import", db.toString(), notEvents.toString()).exitCode()).isEqualTo(1);

        Path reference = dir.resolve("reference.db");
        ReferenceLayoutFile.create(reference, List.of(), "2026-03-01T12:00:00.000000Z");
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, validLine("a", "A") + "\n");
        CliRun intoReference = CliRun.dg("import", reference.toString(), input.toString());
        assertThat(intoReference.exitCode()).isEqualTo(1);
        assertThat(intoReference.err()).contains("reference-layout database");
    }

    @Test
    void emptyInputImportsNothing() throws Exception {
        Path file = dir.resolve("empty.jsonl");
        Files.writeString(file, "\n\n");
        CliRun run = CliRun.dg("import", dir.resolve("dg.db").toString(), file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("0 events");
    }

    @Test
    void parsedEnvelopesEqualTheBundle() throws Exception {
        // JSON Lines written from the bundle import exactly the bundle's events
        List<String> jsonl = new ArrayList<>();
        for (EventEnvelope e : GoldenFiles.allEvents()) {
            jsonl.add(JsonWriter.ascii(EnvelopeJson.toJson(e)));
        }
        Path file = dir.resolve("bundle.jsonl");
        Files.writeString(file, String.join("\n", jsonl));
        Path db = dir.resolve("dg.db");
        assertThat(CliRun.dg("import", db.toString(), file.toString()).exitCode()).isZero();
        assertThat(stored(db, "default")).extracting(StoredEvent::envelope).containsExactlyElementsOf(GoldenFiles.allEvents());
    }
}
