package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.testkit.TestDatabases;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dg checkpoint, export, verify-export and verify's chain check against a real (embedded) Postgres. */
class PostgresAuditCommandsTest {
    private static EmbeddedPostgres pg;
    private static String url;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pg = TestDatabases.postgresServer();
        url = TestDatabases.newPostgresUrl();
    }


    @Test
    void checkpointExportVerifyAndTamperOnPostgres() throws Exception {
        assertThat(CliRun.dg("import", url, GoldenFiles.bundle().toString(), "--tenant", "pg", "--quiet").exitCode()).isZero();
        CliRun gen = CliRun.dg("keys", "generate", "--dir", dir.toString());
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        String key = dir.resolve("dg-signing.key").toString();
        String pub = dir.resolve("dg-signing.pub").toString();
        CliRun cp = CliRun.dg("checkpoint", url, "--tenant", "pg", "--key", key);
        assertThat(cp.exitCode()).as(cp.err()).isZero();
        assertThat(((JsonInt) ((JsonObject) JsonParser.parse(cp.out())).get("log_seq")).longValue()).isEqualTo(40);

        Path bundle = dir.resolve("b.json");
        CliRun export = CliRun.dg("export", url, "--tenant", "pg", "--from", "10", "--to", "16", "--out", bundle.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        CliRun ok = CliRun.dg("verify-export", bundle.toString(), "--public-key", pub);
        assertThat(ok.exitCode()).as(ok.out()).isZero();
        assertThat(ok.out()).startsWith("OK: 7 events, 31 chain links, checkpoint at log_seq=40 signed by ed25519:");

        JsonObject b = (JsonObject) JsonParser.parse(Files.readString(bundle));
        java.util.List<Json> events = new java.util.ArrayList<>(b.getArray("events").items());
        JsonObject e = (JsonObject) events.get(0);
        events.set(0, e.with("actor", ((JsonObject) e.get("actor")).with("actor_id", Json.of("mallory"))));
        Path tampered = dir.resolve("t.json");
        Files.writeString(tampered, JsonWriter.pretty(b.with("events", JsonArray.of(events))));
        CliRun bad = CliRun.dg("verify-export", tampered.toString(), "--public-key", pub);
        assertThat(bad.exitCode()).isEqualTo(4);
        assertThat(bad.out()).startsWith("FAILED: event " + e.getString("event_id") + " (log_seq=10): event_hash mismatch: ");

        CliRun clean = CliRun.dg("verify", url, "--tenant", "pg");
        assertThat(clean.exitCode()).as(clean.out()).isZero();
        JsonObject checks = ((JsonObject) JsonParser.parse(clean.out())).getObject("checks");
        assertThat(((JsonInt) checks.getObject("hash_chain").get("checked")).longValue()).isEqualTo(40);
        assertThat(((JsonInt) checks.getObject("signed_checkpoints").get("count")).longValue()).isEqualTo(1);

        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE dg_event_log DISABLE TRIGGER dg_event_log_append_only");
            st.execute("UPDATE dg_event_log SET event_type = 'EntityObserved' WHERE tenant_id = 'pg' AND log_seq = 33"
                    + " AND event_type <> 'EntityObserved'");
            st.execute("UPDATE dg_event_log SET recorded_at = '2000-01-01T00:00:00.000000Z' WHERE tenant_id = 'pg' AND log_seq = 30");
        }
        CliRun broken = CliRun.dg("verify", url, "--tenant", "pg");
        assertThat(broken.exitCode()).isEqualTo(4);
        JsonObject bc = ((JsonObject) JsonParser.parse(broken.out())).getObject("checks");
        assertThat(((JsonString) bc.getObject("hash_chain").getArray("problems").get(0)).value())
                .startsWith("chain broken at log_seq=30: stored chain_hash ");
        assertThat(((JsonString) bc.getObject("signed_checkpoints").getArray("problems").get(0)).value())
                .startsWith("checkpoint at log_seq 40 by ed25519:").contains("chain broken at log_seq=30");
    }
}
