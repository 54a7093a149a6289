package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.EventQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dg redact, dg retention and what dg verify says about them, on the golden scenarios: recorded changes verify,
 * unrecorded ones fail with a precise message.
 */
abstract class LifecycleCommandsContract {
    @TempDir
    Path dir;

    /** A fresh database holding the golden bundle in tenant {@code default}. */
    abstract String importedDb() throws Exception;

    /** Runs SQL on the database, first switching off the named guards ("log", or a record table's name). */
    abstract void tamper(String db, List<String> guards, String... statements) throws Exception;

    static JsonObject checks(CliRun run) {
        return ((JsonObject) JsonParser.parse(run.out())).getObject("checks");
    }

    static List<String> problems(JsonObject checks, String name) {
        return checks.getObject(name).getArray("problems").items().stream().map(j -> ((JsonString) j).value()).toList();
    }

    /** An event with a string field at the top level of its payload: {event_id, field, log_seq}. */
    static String[] target(String db) {
        try (Database d = Database.open(DbArguments.location(db), StoreConfig.DEFAULTS)) {
            EventLog log = EventLog.open(d, EventTypeSet.REFERENCE, Clock.systemUTC());
            for (StoredEvent e : log.listEvents(null, EventQuery.ALL)) {
                if (e.logSeq() > 1 && e.payload() instanceof JsonObject o) {
                    for (String k : o.keys()) {
                        if (o.get(k) instanceof JsonString) {
                            return new String[] {e.eventId(), k, Long.toString(e.logSeq()), e.traceId()};
                        }
                    }
                }
            }
        }
        throw new AssertionError("no event with a string field");
    }

    private static long longOf(JsonObject o, String key) {
        return ((JsonInt) o.get(key)).longValue();
    }

    @Test
    void aRecordedRedactionVerifiesAndTamperingWithItFails() throws Exception {
        String db = importedDb();
        String[] t = target(db);
        CliRun r = CliRun.dg("redact", db, "--tenant", "default", "--event", t[0], "--field", t[1], "--reason",
                "erasure request 42");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonObject record = (JsonObject) JsonParser.parse(r.out());
        assertThat(record.getString("field_path")).isEqualTo(t[1]);
        assertThat(record.getString("reason")).isEqualTo("erasure request 42");
        assertThat(record.getString("actor_id")).startsWith("cli:");
        assertThat(record.getString("value_salt")).hasSize(32);

        CliRun v = CliRun.dg("verify", db);
        assertThat(v.exitCode()).as(v.out()).isZero();
        JsonObject c = checks(v);
        assertThat(longOf(c.getObject("redactions"), "verified")).isEqualTo(1);
        assertThat(longOf(c.getObject("payload_hashes"), "redacted")).isEqualTo(1);
        assertThat(longOf(c.getObject("hash_chain"), "checked")).isEqualTo(40);
        assertThat(c.getObject("projection:context_graph").get("ok")).isEqualTo(Json.of(true));
        assertThat(c.getObject("checkpoint:full_projection").get("ok")).isEqualTo(Json.of(true));

        // an evidence bundle of the trace carries the redaction record and verifies offline
        CliRun gen = CliRun.dg("keys", "generate", "--dir", dir.resolve("keys").toString(), "--name", "ev");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        Path bundle = dir.resolve("redacted.json");
        CliRun export = CliRun.dg("export", db, "--trace", t[3], "--checkpoint-key", dir.resolve("keys/ev.key").toString(),
                "--out", bundle.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        CliRun ve = CliRun.dg("verify-export", bundle.toString(), "--public-key", dir.resolve("keys/ev.pub").toString());
        assertThat(ve.exitCode()).as(ve.out()).isZero();
        assertThat(Files.readString(bundle)).contains("\"redactions\"").contains("erasure request 42");
        Files.writeString(bundle, Files.readString(bundle).replace("erasure request 42", "routine cleanup"));
        CliRun tb = CliRun.dg("verify-export", bundle.toString(), "--public-key", dir.resolve("keys/ev.pub").toString());
        assertThat(tb.exitCode()).isEqualTo(4);
        assertThat(tb.out()).startsWith("FAILED: event " + t[0] + " (log_seq=" + t[2] + "): redaction "
                + record.getString("redaction_id") + " was changed: its members hash to sha256:");

        CliRun again = CliRun.dg("redact", db, "--event", t[0], "--field", t[1], "--reason", "twice");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("Error: field '" + t[1] + "' of event '" + t[0] + "' is already redacted\n");

        // a tampered redaction record: the reason is rewritten afterwards
        tamper(db, List.of("dg_redactions"), "UPDATE dg_redactions SET reason = 'routine cleanup'");
        CliRun tv = CliRun.dg("verify", db);
        assertThat(tv.exitCode()).isEqualTo(4);
        JsonObject tc = checks(tv);
        assertThat(problems(tc, "redactions")).singleElement().asString().startsWith("redaction "
                + record.getString("redaction_id") + " of event " + t[0] + " (log_seq " + t[2]
                + "): the record was changed: its members hash to sha256:");
        assertThat(problems(tc, "payload_hashes")).singleElement().asString().startsWith("event " + t[0] + " (log_seq "
                + t[2] + "): stored sha256:").endsWith("(its redaction records do not verify: see the redactions check)");
        assertThat(tc.getObject("hash_chain").get("ok")).isEqualTo(Json.of(true));
    }

    @Test
    void aRedactionWithoutARecordFails() throws Exception {
        String db = importedDb();
        String[] t = target(db);
        tamper(db, List.of("log"), "UPDATE dg_event_log SET payload_json = '{\"" + t[1] + "\":\"" + Redactions.MARKER
                + "\"}' WHERE tenant_id = 'default' AND log_seq = " + t[2]);
        CliRun v = CliRun.dg("verify", db);
        assertThat(v.exitCode()).isEqualTo(4);
        JsonObject c = checks(v);
        assertThat(problems(c, "payload_hashes")).singleElement().asString()
                .startsWith("event " + t[0] + " (log_seq " + t[2] + "): stored sha256:")
                .endsWith("(no redaction is recorded)");
        assertThat(c.getObject("redactions").get("ok")).isEqualTo(Json.of(true));
        assertThat(c.getObject("projection_rebuild").get("ok")).isEqualTo(Json.of(false));
    }

    @Test
    void retentionRemovesOldTracesAndVerifyStillHolds() throws Exception {
        String db = importedDb();
        Path archive = dir.resolve("archive");
        CliRun gen = CliRun.dg("keys", "generate", "--dir", dir.resolve("keys").toString(), "--name", "ops");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        CliRun set = CliRun.dg("retention", "set", db, "--days", "30", "--archive-dir", archive.toString());
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(longOf((JsonObject) JsonParser.parse(set.out()), "retain_days")).isEqualTo(30);

        String now = Instant.now().plus(Duration.ofDays(31)).toString();
        CliRun run = CliRun.dg("retention", "run", db, "--key", dir.resolve("keys/ops.key").toString(), "--now", now);
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject out = (JsonObject) JsonParser.parse(run.out());
        long removed = longOf(out, "removed_events");
        assertThat(removed).isBetween(1L, 39L);
        JsonObject manifest = out.getObject("run").getObject("manifest");
        assertThat(Files.readAllLines(Path.of(out.getObject("run").getString("archive_file")))).hasSize((int) removed);
        assertThat(manifest.getString("key_id")).startsWith("ed25519:");

        CliRun v = CliRun.dg("verify", db);
        assertThat(v.exitCode()).as(v.out()).isZero();
        JsonObject c = checks(v);
        assertThat(longOf(c.getObject("retention"), "tombstones")).isEqualTo(removed);
        assertThat(longOf(c.getObject("retention"), "runs")).isEqualTo(1);
        assertThat(longOf(c.getObject("hash_chain"), "checked")).isEqualTo(40);
        assertThat(longOf((JsonObject) JsonParser.parse(v.out()), "event_count")).isEqualTo(40 - removed);
        for (String p : List.of("projection:context_graph", "projection:trace_summary", "projection:precedent_index",
                "checkpoint:full_projection")) {
            assertThat(c.getObject(p).get("ok")).as(p).isEqualTo(Json.of(true));
        }

        CliRun show = CliRun.dg("retention", "show", db);
        assertThat(show.exitCode()).isZero();
        JsonArray runs = ((JsonObject) JsonParser.parse(show.out())).getArray("runs");
        assertThat(runs.size()).isEqualTo(1);

        // an evidence bundle of what remains starts after the removed events: its first link follows a tombstone
        Path bundle = dir.resolve("after-retention.json");
        CliRun export = CliRun.dg("export", db, "--from", "1", "--to", "40", "--checkpoint-key",
                dir.resolve("keys/ops.key").toString(), "--out", bundle.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        CliRun ve = CliRun.dg("verify-export", bundle.toString(), "--public-key", dir.resolve("keys/ops.pub").toString());
        assertThat(ve.exitCode()).as(ve.out()).isZero();
        assertThat(ve.out()).startsWith("OK: " + (40 - removed) + " events, ");

        // nothing else is old enough: a second run removes nothing
        CliRun second = CliRun.dg("retention", "run", db, "--now", now);
        assertThat(longOf((JsonObject) JsonParser.parse(second.out()), "removed_events")).isZero();
    }

    @Test
    void anEventDeletedOutsideARetentionTombstoneFails() throws Exception {
        String db = importedDb();
        tamper(db, List.of("log"), "DELETE FROM dg_event_log WHERE tenant_id = 'default' AND log_seq = 12");
        CliRun v = CliRun.dg("verify", db);
        assertThat(v.exitCode()).isEqualTo(4);
        JsonObject c = checks(v);
        assertThat(problems(c, "hash_chain"))
                .containsExactly("chain broken at log_seq=12: log_seq 12 is missing (next stored log_seq is 13)");
        assertThat(problems(c, "log_seq_order"))
                .containsExactly("log_seq gap: 13 follows 11 (log_seq 12 is not covered by a retention tombstone)");
    }

    @Test
    void withoutAPolicyRetentionRefusesToRun() throws Exception {
        String db = importedDb();
        CliRun run = CliRun.dg("retention", "run", db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Error: tenant 'default' has no retention policy; set one with dg retention set\n");
    }
}
