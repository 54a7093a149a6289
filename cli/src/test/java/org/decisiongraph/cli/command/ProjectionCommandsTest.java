package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dg replay, projection-status, verify, query and bench generate on real SQLite files. */
class ProjectionCommandsTest {
    private static JsonObject combined;
    @TempDir
    Path dir;

    @BeforeAll
    static void vectors() throws Exception {
        JsonObject projections = (JsonObject) JsonParser.parse(
                Files.readString(GoldenFiles.bundle().resolveSibling("vectors-projections.json")));
        combined = projections.getObject("combined_all_scenarios");
    }

    private Path imported() {
        Path db = dir.resolve("events.db");
        CliRun run = CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString(), "--quiet");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return db;
    }

    private static String replayText(JsonObject digests) {
        return "Projection digests after replay:\n"
                + "  context_graph: " + digests.getString("context_graph") + "\n"
                + "  full_projection: " + digests.getString("full_projection") + "\n"
                + "  precedent_index: " + digests.getString("precedent_index") + "\n"
                + "  trace_summary: " + digests.getString("trace_summary") + "\n";
    }

    /** Python's {@code json.dumps(health, indent=2, sort_keys=True)} + newline, written out by hand. */
    private static String statusText(JsonObject digests, long events, long last, long projected, long traces) {
        String d = digests == null ? "null" : "{\n"
                + "    \"context_graph\": \"" + digests.getString("context_graph") + "\",\n"
                + "    \"full_projection\": \"" + digests.getString("full_projection") + "\",\n"
                + "    \"precedent_index\": \"" + digests.getString("precedent_index") + "\",\n"
                + "    \"trace_summary\": \"" + digests.getString("trace_summary") + "\"\n"
                + "  }";
        return "{\n"
                + "  \"digests\": " + d + ",\n"
                + "  \"event_count\": " + events + ",\n"
                + "  \"event_log_last_seq\": " + last + ",\n"
                + "  \"is_stale\": " + (projected < last) + ",\n"
                + "  \"pending_events\": " + Math.max(last - projected, 0) + ",\n"
                + "  \"projected_last_seq\": " + projected + ",\n"
                + "  \"trace_count\": " + traces + "\n"
                + "}\n";
    }

    @Test
    void importThenReplayAndProjectionStatusPrintTheCombinedDigests() {
        Path db = imported();
        CliRun replay = CliRun.dg("replay", db.toString());
        assertThat(replay.exitCode()).isZero();
        assertThat(replay.out()).isEqualTo(replayText(combined.getObject("digests")));
        CliRun status = CliRun.dg("projection-status", db.toString(), "--include-digests");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).isEqualTo(statusText(combined.getObject("digests"), 40, 40, 40, 5));
        CliRun plain = CliRun.dg("projection-status", db.toString());
        assertThat(plain.out()).isEqualTo(statusText(null, 40, 40, 40, 5));
        // another tenant of the same file is empty
        CliRun other = CliRun.dg("replay", db.toString(), "--tenant", "other");
        assertThat(other.out()).contains("full_projection: sha256:841804c04c283692e5a12d6303d274a8c10f5430b19c7cb7f2587e9297d37dde");
    }

    @Test
    void pathChecksAndErrors() throws Exception {
        CliRun missing = CliRun.dg("replay", dir.resolve("nope.db").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Error: Database file '" + dir.resolve("nope.db") + "' not found\n");
        assertThat(missing.out()).isEmpty();
        CliRun notFile = CliRun.dg("projection-status", dir.toString());
        assertThat(notFile.err()).isEqualTo("Error: '" + dir + "' is not a file\n");
        Path empty = dir.resolve("empty.db");
        Files.createFile(empty);
        assertThat(CliRun.dg("replay", empty.toString()).err())
                .isEqualTo("Error replaying projections: no such table: dg_event_log\n");
        assertThat(CliRun.dg("projection-status", empty.toString()).err())
                .isEqualTo("Error getting projection status: no such table: dg_event_log\n");
        assertThat(Files.size(empty)).isZero();
    }

    private static byte[] sha(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    /** A reference-layout file of one bundle scenario with its Python-layout projection tables filled from the snapshot. */
    private Path referenceFile(JsonObject scenario, long metaCursor) throws Exception {
        Path file = dir.resolve("reference.db");
        List<EventEnvelope> events = scenario.getArray("events").items().stream().map(EnvelopeJson::fromJson).toList();
        ReferenceLayoutFile.create(file, events, "2026-03-01T12:00:00.123456Z");
        JsonObject snap = scenario.getObject("projection_snapshot");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE dg_cg_nodes (node_id TEXT PRIMARY KEY, node_type TEXT NOT NULL, trace_id TEXT NOT NULL,"
                    + " log_seq INTEGER NOT NULL, created_at TEXT NOT NULL, metadata_json TEXT NOT NULL DEFAULT '{}')");
            st.execute("CREATE TABLE dg_cg_edges (edge_id TEXT PRIMARY KEY, edge_type TEXT NOT NULL,"
                    + " from_node_id TEXT NOT NULL REFERENCES dg_cg_nodes(node_id), to_node_id TEXT NOT NULL REFERENCES"
                    + " dg_cg_nodes(node_id), trace_id TEXT NOT NULL, log_seq INTEGER NOT NULL, created_at TEXT NOT NULL,"
                    + " metadata_json TEXT NOT NULL DEFAULT '{}')");
            st.execute("CREATE TABLE dg_trace_summary (trace_id TEXT PRIMARY KEY, workflow TEXT NOT NULL, title TEXT NOT NULL,"
                    + " primary_entity_type TEXT NULL, primary_entity_id TEXT NULL, outcome TEXT NULL, started_at TEXT NOT NULL,"
                    + " finished_at TEXT NULL, event_count INTEGER NOT NULL DEFAULT 0, last_log_seq INTEGER NOT NULL)");
            st.execute("CREATE TABLE dg_policy_eval_index (index_id TEXT PRIMARY KEY, trace_id TEXT NOT NULL REFERENCES"
                    + " dg_trace_summary(trace_id), policy_id TEXT NOT NULL, policy_version TEXT NOT NULL,"
                    + " log_seq INTEGER NOT NULL, created_at TEXT NOT NULL)");
            st.execute("CREATE TABLE dg_precedent_index (source_event_id TEXT PRIMARY KEY, log_seq INTEGER NOT NULL,"
                    + " trace_id TEXT NOT NULL REFERENCES dg_trace_summary(trace_id), policy_id TEXT NOT NULL,"
                    + " policy_version TEXT NOT NULL, exception_id TEXT NULL, primary_entity_type TEXT NULL,"
                    + " primary_entity_system TEXT NULL, primary_entity_id TEXT NULL)");
            insertAll(c, "dg_cg_nodes", snap.getObject("context_graph").getArray("nodes"),
                    List.of("node_id", "node_type", "trace_id", "log_seq", "created_at"));
            insertAll(c, "dg_cg_edges", snap.getObject("context_graph").getArray("edges"),
                    List.of("edge_id", "edge_type", "from_node_id", "to_node_id", "trace_id", "log_seq", "created_at"));
            insertAll(c, "dg_trace_summary", Json.array(List.of(snap.getObject("trace_summary"))),
                    List.of("trace_id", "workflow", "title", "primary_entity_type", "primary_entity_id", "outcome",
                            "started_at", "finished_at", "event_count", "last_log_seq"));
            insertAll(c, "dg_policy_eval_index", snap.getArray("policy_eval_index"),
                    List.of("index_id", "trace_id", "policy_id", "policy_version", "log_seq", "created_at"));
            insertAll(c, "dg_precedent_index", snap.getArray("precedent_index"),
                    List.of("source_event_id", "log_seq", "trace_id", "policy_id", "policy_version", "exception_id",
                            "primary_entity_type", "primary_entity_system", "primary_entity_id"));
            st.execute("INSERT INTO dg_projection_meta (projection_name, last_processed_log_seq, updated_at)"
                    + " VALUES ('context_graph', " + metaCursor + ", '2026-03-01T12:00:01Z')");
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return file;
    }

    private static void insertAll(Connection c, String table, JsonArray rows, List<String> columns) throws Exception {
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + "?, ".repeat(columns.size() - 1) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Json row : rows) {
                JsonObject o = (JsonObject) row;
                for (int i = 0; i < columns.size(); i++) {
                    Json v = o.get(columns.get(i));
                    if (v instanceof JsonInt n) {
                        ps.setLong(i + 1, n.longValue());
                    } else if (v instanceof JsonString s) {
                        ps.setString(i + 1, s.value());
                    } else {
                        ps.setNull(i + 1, java.sql.Types.VARCHAR);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    @Test
    void referenceLayoutFilesWorkAndStayByteIdentical() throws Exception {
        JsonObject scenario = GoldenFiles.scenarios().getFirst();
        long n = scenario.getArray("events").size();
        long cursor = ((JsonInt) scenario.getObject("projection_snapshot").get("projection_cursor")).longValue();
        Path file = referenceFile(scenario, cursor);
        byte[] before = sha(file);
        JsonObject digests = scenario.getObject("expected_digests");

        assertThat(CliRun.dg("replay", file.toString()).out()).isEqualTo(replayText(digests));
        assertThat(CliRun.dg("projection-status", file.toString(), "--include-digests").out())
                .isEqualTo(statusText(digests, n, n, cursor, 1));
        CliRun dump = CliRun.dg("dump-trace", file.toString(), scenario.getString("trace_id"));
        assertThat(dump.exitCode()).isZero();
        assertThat(dump.out()).contains("\"recorded_at\": \"2026-03-01T12:00:00.123456Z\"");
        CliRun summary = CliRun.dg("query", "trace-summary", file.toString(), scenario.getString("trace_id"));
        assertThat(summary.exitCode()).isZero();
        JsonObject s = ((JsonObject) JsonParser.parse(summary.out())).getObject("summary");
        assertThat(s.getString("title")).isEqualTo(scenario.getObject("projection_snapshot").getObject("trace_summary").getString("title"));
        assertThat(s.get("primary_entity_system")).isEqualTo(org.decisiongraph.core.json.JsonNull.INSTANCE);
        CliRun verify = CliRun.dg("verify", file.toString());
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("\"layout\": \"reference\"").contains("\"status\": \"not_applicable\"");
        CliRun edges = CliRun.dg("query", "edges", file.toString(), "--node-type", "trace", "--node-id",
                scenario.getString("trace_id"), "--limit", "2");
        assertThat(edges.exitCode()).isZero();
        assertThat(((JsonObject) JsonParser.parse(edges.out())).getArray("edges").size()).isEqualTo(2);

        assertThat(sha(file)).isEqualTo(before);
        assertThat(Files.exists(Path.of(file + "-wal"))).isFalse();
        assertThat(Files.exists(Path.of(file + "-shm"))).isFalse();
    }

    @Test
    void aStaleReferenceFileIsReportedAndRefusesProjectionReads() throws Exception {
        JsonObject scenario = GoldenFiles.scenarios().getFirst();
        long n = scenario.getArray("events").size();
        Path file = referenceFile(scenario, n - 2);
        CliRun status = CliRun.dg("projection-status", file.toString());
        assertThat(status.out()).isEqualTo(statusText(null, n, n, n - 2, 1));
        CliRun summary = CliRun.dg("query", "trace-summary", file.toString(), scenario.getString("trace_id"));
        assertThat(summary.exitCode()).isEqualTo(1);
        assertThat(summary.out()).isEqualTo("{\n  \"error\": {\n    \"code\": \"DG_ERR_PROJECTION_OUT_OF_DATE\",\n"
                + "    \"message\": \"Projections at log_seq=" + (n - 2) + ", events at " + n + "\"\n  }\n}\n");
        // the event log itself is still readable
        assertThat(CliRun.dg("query", "trace-events", file.toString(), scenario.getString("trace_id")).exitCode()).isZero();
    }

    private Path copyOf(Path db, String name) throws Exception {
        Path copy = dir.resolve(name);
        Files.copy(db, copy);
        return copy;
    }

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath()); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Test
    void verifyReportsCleanAndEveryKindOfDamage() throws Exception {
        Path db = imported();
        CliRun clean = CliRun.dg("verify", db.toString());
        assertThat(clean.exitCode()).as(clean.out()).isZero();
        JsonObject report = (JsonObject) JsonParser.parse(clean.out());
        assertThat(report.get("clean")).isEqualTo(Json.of(true));
        assertThat(((JsonInt) report.get("event_count")).longValue()).isEqualTo(40);
        assertThat(((JsonInt) report.getObject("checks").getObject("hash_chain").get("checked")).longValue()).isEqualTo(40);
        assertThat(report.getObject("checks").getObject("hash_chain").getString("head")).startsWith("sha256:");

        Path tampered = copyOf(db, "tampered.db");
        sql(tampered, "DROP TRIGGER dg_event_log_no_update",
                "UPDATE dg_event_log SET payload_json = replace(payload_json, '\"', '\"') || '' WHERE log_seq = 3",
                "UPDATE dg_event_log SET payload_json = '{\"tampered\":1}' WHERE log_seq = 5");
        CliRun t = CliRun.dg("verify", tampered.toString());
        assertThat(t.exitCode()).isEqualTo(4);
        JsonObject tr = (JsonObject) JsonParser.parse(t.out());
        assertThat(tr.get("clean")).isEqualTo(Json.of(false));
        assertThat(tr.getObject("checks").getObject("payload_hashes").get("ok")).isEqualTo(Json.of(false));
        assertThat(tr.getObject("checks").getObject("payload_hashes").getArray("problems").size()).isEqualTo(1);

        Path deleted = copyOf(db, "deleted.db");
        sql(deleted, "DROP TRIGGER dg_event_log_no_delete", "DELETE FROM dg_event_log WHERE log_seq = 12");
        CliRun d = CliRun.dg("verify", deleted.toString());
        assertThat(d.exitCode()).isEqualTo(4);
        JsonObject dr = ((JsonObject) JsonParser.parse(d.out())).getObject("checks");
        assertThat(dr.getObject("log_seq_order").get("ok")).isEqualTo(Json.of(false));
        assertThat(dr.getObject("trace_seq_contiguous").get("ok")).isEqualTo(Json.of(false));
        assertThat(dr.getObject("hash_chain").getArray("problems").get(0))
                .isEqualTo(Json.of("chain broken at log_seq=12: log_seq 12 is missing (next stored log_seq is 13)"));

        Path relabelled = copyOf(db, "relabelled.db");
        sql(relabelled, "DROP TRIGGER dg_event_log_no_update", "UPDATE dg_event_log SET actor_id = 'mallory' WHERE log_seq = 7");
        CliRun rl = CliRun.dg("verify", relabelled.toString());
        assertThat(rl.exitCode()).isEqualTo(4);
        JsonObject rr = ((JsonObject) JsonParser.parse(rl.out())).getObject("checks");
        assertThat(rr.getObject("payload_hashes").get("ok")).isEqualTo(Json.of(true));
        assertThat(((JsonString) rr.getObject("hash_chain").getArray("problems").get(0)).value())
                .startsWith("chain broken at log_seq=7: stored chain_hash sha256:");
        assertThat(((JsonInt) rr.getObject("hash_chain").get("checked")).longValue()).isEqualTo(6);

        Path edited = copyOf(db, "edited.db");
        sql(edited, "UPDATE dg_trace_summary SET title = 'edited' WHERE last_log_seq = 9");
        CliRun e = CliRun.dg("verify", edited.toString());
        assertThat(e.exitCode()).isEqualTo(4);
        JsonObject er = ((JsonObject) JsonParser.parse(e.out())).getObject("checks");
        assertThat(er.getObject("projection:trace_summary").get("ok")).isEqualTo(Json.of(false));
        assertThat(er.getObject("projection:context_graph").get("ok")).isEqualTo(Json.of(true));
        assertThat(er.getObject("payload_hashes").get("ok")).isEqualTo(Json.of(true));

        Path checkpoint = copyOf(db, "checkpoint.db");
        sql(checkpoint, "UPDATE dg_projection_digests SET digest_value = 'sha256:00' WHERE projection_name = 'full_projection'");
        CliRun cp = CliRun.dg("verify", checkpoint.toString());
        assertThat(cp.exitCode()).isEqualTo(4);
        assertThat(((JsonObject) JsonParser.parse(cp.out())).getObject("checks").getObject("checkpoint:full_projection")
                .get("ok")).isEqualTo(Json.of(false));
    }

    private static JsonObject json(CliRun run) {
        return (JsonObject) JsonParser.parse(run.out());
    }

    @Test
    void queryKindsErrorsAndBatch() throws Exception {
        Path db = imported();
        String d = db.toString();
        CliRun all = CliRun.dg("query", "precedents", d);
        assertThat(all.exitCode()).isZero();
        assertThat(json(all).getArray("precedents")).isEqualTo(combined.getArray("find_precedents_no_filter"));

        CliRun events = CliRun.dg("query", "events", d, "--since-log-seq", "38");
        assertThat(json(events).getArray("events").size()).isEqualTo(2);
        assertThat(((JsonObject) json(events).getArray("events").items().getFirst()).get("log_seq")).isEqualTo(Json.of(39));

        CliRun badRange = CliRun.dg("query", "events", d, "--since-log-seq", "5", "--until-log-seq", "2");
        assertThat(badRange.exitCode()).isEqualTo(1);
        assertThat(json(badRange).getObject("error").getString("message")).isEqualTo("since_log_seq (5) must be <= until_log_seq (2)");

        CliRun unknown = CliRun.dg("query", "trace-events", d, "no-such-trace");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(json(unknown).getObject("error").getString("code")).isEqualTo("DG_ERR_NOT_FOUND");
        assertThat(json(unknown).getObject("error").getString("message")).isEqualTo("Trace not found: no-such-trace");

        CliRun emptyTypes = CliRun.dg("query", "subgraph", d, "--node-type", "trace", "--node-id", "x", "--edge-types", "");
        assertThat(json(emptyTypes).getObject("error").getString("message")).isEqualTo("edge_types must not be empty if specified");

        CliRun tooMany = CliRun.dg("query", "precedents", d, "--limit", "10001");
        assertThat(json(tooMany).getObject("error").getString("code")).isEqualTo("DG_ERR_INVALID_ARGUMENT");

        // page through a node's edges with the printed cursor
        String trace = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
        CliRun first = CliRun.dg("query", "edges", d, "--node-type", "trace", "--node-id", trace, "--limit", "2");
        JsonObject next = json(first).getObject("next_cursor");
        CliRun second = CliRun.dg("query", "edges", d, "--node-type", "trace", "--node-id", trace, "--limit", "100",
                "--cursor-edge-key", next.getString("edge_key"));
        CliRun whole = CliRun.dg("query", "edges", d, "--node-type", "trace", "--node-id", trace);
        JsonArray wholeEdges = json(whole).getArray("edges");
        assertThat(json(second).getArray("edges").items()).isEqualTo(wholeEdges.items().subList(2, wholeEdges.size()));
        CliRun mismatch = CliRun.dg("query", "edges", d, "--node-type", "trace", "--node-id", trace,
                "--cursor-edge-key", next.getString("edge_key"), "--cursor-direction", "incoming");
        assertThat(json(mismatch).getObject("error").getString("message")).isEqualTo("cursor.direction must match direction argument");

        Path batch = dir.resolve("queries.jsonl");
        Files.writeString(batch, String.join("\n",
                "{\"kind\":\"precedents\",\"params\":{\"limit\":null}}",
                "{\"kind\":\"subgraph\",\"params\":{\"node_type\":\"trace\",\"node_id\":\"" + trace + "\",\"edge_types\":[]}}",
                "not json",
                "",
                "{\"kind\":\"trace-summary\",\"params\":{\"trace_id\":\"" + trace + "\"}}") + "\n");
        CliRun b = CliRun.dg("query", "batch", d, batch.toString());
        assertThat(b.exitCode()).isZero();
        List<String> lines = b.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(JsonParser.parse(lines.get(0))).isEqualTo(json(all));
        assertThat(lines.get(1)).isEqualTo("{\"error\":{\"code\":\"DG_ERR_INVALID_ARGUMENT\",\"message\":\"edge_types must not be empty if specified\"}}");
        assertThat(lines.get(2)).startsWith("{\"error\":{\"code\":\"DG_ERR_INVALID_ARGUMENT\"");
        assertThat(JsonParser.parse(lines.get(3))).isEqualTo(json(CliRun.dg("query", "trace-summary", d, trace)));
    }

    @Test
    void staleProjectionsFailQueriesUntilTheNextImport() throws Exception {
        Path db = imported();
        try (Database database = Database.sqlite(db)) {
            EventLog log = EventLog.open(database, EventTypeSet.PLATFORM, Clock.systemUTC());
            List<EventEnvelope> extra = new org.decisiongraph.projection.workload.TraceGenerator(
                    org.decisiongraph.projection.workload.TraceGenerator.Config.realistic(5, 1)).next() == null ? List.of()
                    : List.of(new org.decisiongraph.projection.workload.TraceGenerator(
                    org.decisiongraph.projection.workload.TraceGenerator.Config.realistic(5, 1)).next());
            log.appendBatch(null, extra);
        }
        CliRun stale = CliRun.dg("query", "precedents", db.toString());
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(json(stale).getObject("error").getString("message")).isEqualTo("Projections at log_seq=40, events at 41");
        assertThat(CliRun.dg("projection-status", db.toString()).out()).isEqualTo(statusText(null, 41, 41, 40, 6));
        // replay never looks at the stored tables
        assertThat(CliRun.dg("replay", db.toString()).exitCode()).isZero();
        // importing nothing new still catches up
        Path emptyFile = dir.resolve("none.jsonl");
        Files.writeString(emptyFile, "");
        assertThat(CliRun.dg("import", db.toString(), emptyFile.toString(), "--quiet").exitCode()).isZero();
        assertThat(CliRun.dg("query", "precedents", db.toString()).exitCode()).isZero();
    }

    @Test
    void benchGenerateIsSeededAndImportable() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        assertThat(CliRun.dg("bench", "generate", "--events", "120", "--seed", "9", "--out", a.toString()).exitCode()).isZero();
        assertThat(CliRun.dg("bench", "generate", "--events", "120", "--seed", "9", "--out", b.toString()).exitCode()).isZero();
        assertThat(Files.readAllLines(a)).hasSize(120);
        assertThat(HexFormat.of().formatHex(sha(a))).isEqualTo(HexFormat.of().formatHex(sha(b)));
        CliRun stdout = CliRun.dg("bench", "generate", "--events", "120", "--seed", "9");
        assertThat(stdout.out()).isEqualTo(Files.readString(a));
        assertThat(CliRun.dg("bench", "generate", "--events", "120", "--seed", "10").out()).isNotEqualTo(Files.readString(a));
        Path db = dir.resolve("bench.db");
        CliRun imported = CliRun.dg("import", db.toString(), a.toString(), "--quiet");
        assertThat(imported.err()).isEqualTo("import: 120 events: 120 appended, 0 reused, 0 rejected\n");
        assertThat(CliRun.dg("verify", db.toString()).exitCode()).isZero();
        assertThat(CliRun.dg("projection-status", db.toString()).out()).contains("\"is_stale\": false");
    }
}
