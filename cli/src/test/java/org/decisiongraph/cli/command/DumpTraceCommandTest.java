package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpTraceCommandTest {
    private static final String RECORDED = "2026-03-01T12:00:00.123456Z";

    @TempDir
    Path dir;

    private Path reference;
    private EventEnvelope first;

    @BeforeEach
    void referenceFile() throws Exception {
        first = new EventEnvelope("e-1", "T\u00e9", 0, "TraceStarted", "2025-12-31T10:00:00Z",
                new Source("p", "s", null), new Actor("agent", "a1"), "k1",
                Json.parse("{\"workflow\":\"w\",\"title\":\"Caf\u00e9 \ud83d\ude00\",\"primary_entity\":"
                        + "{\"entity_type\":\"x\",\"entity_id\":\"1\",\"system\":null},\"context\":{},\"list\":[]}"),
                null, null, 1, List.of("b", "a"));
        EventEnvelope second = new EventEnvelope("e-2", "T\u00e9", 1, "TraceFinished", "2025-12-31T10:05:00Z",
                new Source("p", "s", "sub"), new Actor("person", "a2"), "k2", Json.parse("{\"outcome\":\"success\"}"),
                "corr", "e-1", 2, List.of());
        EventEnvelope other = new EventEnvelope("e-3", "other", 0, "TraceStarted", "2025-12-31T11:00:00Z",
                new Source("p", "s", null), new Actor("agent", "a1"), "k3", first.payload(), null, null, 1, List.of());
        reference = dir.resolve("reference.db");
        ReferenceLayoutFile.create(reference, List.of(first, other, second), RECORDED);
    }

    @Test
    void defaultKeysByteForByte() {
        CliRun run = CliRun.dg("dump-trace", reference.toString(), "T\u00e9");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                [
                  {
                    "event_id": "e-1",
                    "event_type": "TraceStarted",
                    "log_seq": 1,
                    "occurred_at": "2025-12-31T10:00:00Z",
                    "recorded_at": "2026-03-01T12:00:00.123456Z",
                    "trace_id": "T\\u00e9",
                    "trace_seq": 0
                  },
                  {
                    "event_id": "e-2",
                    "event_type": "TraceFinished",
                    "log_seq": 3,
                    "occurred_at": "2025-12-31T10:05:00Z",
                    "recorded_at": "2026-03-01T12:00:00.123456Z",
                    "trace_id": "T\\u00e9",
                    "trace_seq": 1
                  }
                ]
                """);
    }

    @Test
    void includePayloadByteForByte() {
        CliRun run = CliRun.dg("dump-trace", reference.toString(), "T\u00e9", "--include-payload");
        assertThat(run.exitCode()).isZero();
        String hash = Hashing.payloadHash(first.payload());
        assertThat(run.out()).startsWith("""
                [
                  {
                    "actor": {
                      "actor_id": "a1",
                      "actor_type": "agent"
                    },
                    "causation_event_id": null,
                    "correlation_id": null,
                    "event_id": "e-1",
                    "event_type": "TraceStarted",
                    "idempotency_key": "k1",
                    "log_seq": 1,
                    "occurred_at": "2025-12-31T10:00:00Z",
                    "payload": {
                      "context": {},
                      "list": [],
                      "primary_entity": {
                        "entity_id": "1",
                        "entity_type": "x",
                        "system": null
                      },
                      "title": "Caf\\u00e9 \\ud83d\\ude00",
                      "workflow": "w"
                    },
                    "payload_hash": "%s",
                    "recorded_at": "2026-03-01T12:00:00.123456Z",
                    "schema_version": 1,
                    "source": {
                      "producer_id": "p",
                      "subsystem": null,
                      "system": "s"
                    },
                    "tags": [
                      "b",
                      "a"
                    ],
                    "trace_id": "T\\u00e9",
                    "trace_seq": 0
                  },
                  {
                    "actor": {
                      "actor_id": "a2",
                      "actor_type": "person"
                    },
                    "causation_event_id": "e-1",
                    "correlation_id": "corr",
                """.formatted(hash));
        assertThat(run.out()).endsWith("""
                    "schema_version": 2,
                    "source": {
                      "producer_id": "p",
                      "subsystem": "sub",
                      "system": "s"
                    },
                    "tags": [],
                    "trace_id": "T\\u00e9",
                    "trace_seq": 1
                  }
                ]
                """);
    }

    @Test
    void goldenRenewalFirstEventMatchesTheSpecExample() throws Exception {
        Path golden = dir.resolve("golden.db");
        ReferenceLayoutFile.create(golden, GoldenFiles.allEvents().stream()
                .filter(e -> e.traceId().startsWith("aaaaaaaa")).toList(), RECORDED);
        CliRun run = CliRun.dg("dump-trace", golden.toString(), "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        assertThat(run.out()).startsWith("""
                [
                  {
                    "event_id": "11111111-1111-1111-1111-111111111111",
                    "event_type": "TraceStarted",
                    "log_seq": 1,
                    "occurred_at": "2025-12-31T10:00:00Z",
                    "recorded_at": "2026-03-01T12:00:00.123456Z",
                    "trace_id": "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
                    "trace_seq": 0
                  },
                """);
        assertThat(run.out().lines().filter(l -> l.equals("  {"))).hasSize(9);
    }

    @Test
    void readOnlyLeavesTheFileAndItsDirectoryUntouched() throws Exception {
        byte[] before = Files.readAllBytes(reference);
        assertThat(CliRun.dg("dump-trace", reference.toString(), "other").exitCode()).isZero();
        assertThat(CliRun.dg("dump-trace", reference.toString(), "nope").exitCode()).isEqualTo(1);
        assertThat(Files.readAllBytes(reference)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("reference.db");
        }
    }

    @Test
    void unknownTraceIsNotFound() {
        CliRun run = CliRun.dg("dump-trace", reference.toString(), "nope");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("Error getting trace events: DG_ERR_NOT_FOUND: Trace not found: nope\n");
    }

    @Test
    void pathChecksOfTheReferenceCli() throws Exception {
        String missing = dir.resolve("missing.db").toString();
        CliRun notFound = CliRun.dg("dump-trace", missing, "T");
        assertThat(notFound.exitCode()).isEqualTo(1);
        assertThat(notFound.err()).isEqualTo("Error: Database file '" + missing + "' not found\n");

        CliRun directory = CliRun.dg("dump-trace", dir.toString(), "T");
        assertThat(directory.exitCode()).isEqualTo(1);
        assertThat(directory.err()).isEqualTo("Error: '" + dir + "' is not a file\n");

        Path link = dir.resolve("link.db");
        Files.createSymbolicLink(link, reference);
        CliRun viaLink = CliRun.dg("dump-trace", link.toString(), "other");
        assertThat(viaLink.exitCode()).isZero();
        assertThat(viaLink.err()).isEqualTo("Warning: '" + link + "' is a symlink to '" + reference.toRealPath() + "'\n");
        assertThat(viaLink.out()).contains("\"event_id\": \"e-3\"");

        Path dangling = dir.resolve("dangling.db");
        Files.createSymbolicLink(dangling, dir.resolve("gone.db"));
        CliRun danglingRun = CliRun.dg("dump-trace", dangling.toString(), "T");
        assertThat(danglingRun.exitCode()).isEqualTo(1);
        assertThat(danglingRun.err()).isEqualTo("Warning: '" + dangling + "' is a symlink to '"
                + dir.toRealPath().resolve("gone.db") + "'\nError: Database file '" + dangling + "' not found\n");
    }

    @Test
    void emptyFileHasNoEventLog() throws Exception {
        Path empty = dir.resolve("empty.db");
        Files.createFile(empty);
        CliRun run = CliRun.dg("dump-trace", empty.toString(), "T");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Error getting trace events: no such table: dg_event_log\n");
        assertThat(Files.size(empty)).isZero();
    }

    @Test
    void tenantOfOurOwnFile() throws Exception {
        Path db = dir.resolve("ours.db");
        assertThat(CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString(), "--tenant", "acme", "--quiet")
                .exitCode()).isZero();
        String trace = "cccccccc-cccc-cccc-cccc-cccccccccccc";
        CliRun acme = CliRun.dg("dump-trace", db.toString(), trace, "--tenant", "acme");
        assertThat(acme.exitCode()).isZero();
        assertThat(acme.out().lines().filter(l -> l.equals("  {"))).hasSize(8);
        CliRun defaultTenant = CliRun.dg("dump-trace", db.toString(), trace);
        assertThat(defaultTenant.exitCode()).isEqualTo(1);
        assertThat(defaultTenant.err()).isEqualTo("Error getting trace events: DG_ERR_NOT_FOUND: Trace not found: " + trace + "\n");
    }

    @Test
    void missingArgumentsAreAUsageError() {
        assertThat(CliRun.dg("dump-trace", reference.toString()).exitCode()).isEqualTo(2);
    }
}
