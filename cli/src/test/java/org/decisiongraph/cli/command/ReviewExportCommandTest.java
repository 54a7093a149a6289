package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.workflow.Caller;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dg export --review <workflow_id>} writes an evidence bundle that {@code dg verify-export} checks; tampering fails. */
class ReviewExportCommandTest {
    @TempDir
    Path dir;

    private static void append(EventLog log, String trace, long seq, String type, String payload) {
        log.append(EventLog.DEFAULT_TENANT, new EventEnvelope(trace + "-" + seq, trace, seq, type, "2026-03-07T10:00:00Z",
                new Source("deal-agent", "crm", "pricing"), new Actor("agent", "deal-agent"), trace + ":" + seq,
                JsonParser.parse(payload), null, null, 1, List.of()));
    }

    @Test
    void aReviewBundleVerifiesOfflineAndTamperingFails() throws Exception {
        Path db = dir.resolve("review.db");
        String id = "deal-1:exception:ex-1";
        try (Database database = Database.sqlite(db)) {
            Clock clock = Clock.systemUTC();
            EventLog log = EventLog.open(database, EventTypeSet.PLATFORM, clock);
            append(log, "deal-1", 0, "TraceStarted", "{\"workflow\":\"discount_approval\",\"title\":\"Acme renewal\","
                    + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-acme\"}}");
            append(log, "deal-1", 1, "PolicyEvaluated", "{\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":\"v3\"},"
                    + "\"inputs\":[],\"decision\":\"require_exception\"}");
            append(log, "deal-1", 2, "ExceptionRequested", "{\"exception_id\":\"ex-1\",\"policy\":{\"policy_id\":\"discount-cap\","
                    + "\"policy_version\":\"v3\"},\"reason\":\"32% over the 25% cap\"}");
            try (Workflows wf = new Workflows(database, log, clock, WorkflowConfig.DEFAULTS)) {
                wf.catchUp(EventLog.DEFAULT_TENANT);
                wf.review().act(EventLog.DEFAULT_TENANT, id, (JsonObject) JsonParser.parse("{\"action\":\"approve\",\"reason\":\"ok\"}"),
                        new Caller("approver-1", Caller.SERVICE_ACCOUNT, List.of("writer"), List.of("workflow_review"), "req-1", null));
            }
        }
        CliRun keys = CliRun.dg("keys", "generate", "--dir", dir.resolve("keys").toString(), "--name", "signer");
        assertThat(keys.exitCode()).as(keys.err()).isZero();
        Path out = dir.resolve("review.json");
        CliRun noCheckpoint = CliRun.dg("export", db.toString(), "--review", id, "--out", out.toString());
        assertThat(noCheckpoint.exitCode()).isEqualTo(1);
        assertThat(noCheckpoint.err()).contains("no checkpoint of tenant 'default' covers log_seq=");
        CliRun unknown = CliRun.dg("export", db.toString(), "--review", "nope", "--out", out.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("Workflow not found: nope");

        CliRun export = CliRun.dg("export", db.toString(), "--review", id, "--checkpoint-key", dir.resolve("keys/signer.key").toString(),
                "--out", out.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        JsonObject bundle = (JsonObject) JsonParser.parse(Files.readString(out));
        assertThat(bundle.getObject("selection").getString("workflow_id")).isEqualTo(id);
        assertThat(bundle.getObject("review").getObject("workflow").getString("status")).isEqualTo("approved");
        CliRun ok = CliRun.dg("verify-export", out.toString(), "--public-key", dir.resolve("keys/signer.pub").toString());
        assertThat(ok.exitCode()).as(ok.out()).isZero();
        assertThat(ok.out()).startsWith("OK: 2 events, ");

        // the approval's reason changed in the review document only, then in the event itself
        JsonObject review = bundle.getObject("review");
        List<Json> sources = new ArrayList<>(review.getArray("source_events").items());
        JsonObject approval = (JsonObject) sources.get(1);
        sources.set(1, approval.with("payload", ((JsonObject) approval.get("payload")).with("reason", new JsonString("forged"))));
        Path forged = dir.resolve("forged.json");
        Files.writeString(forged, JsonWriter.pretty(bundle.with("review", review.with("source_events", JsonArray.of(sources)))));
        CliRun bad = CliRun.dg("verify-export", forged.toString(), "--public-key", dir.resolve("keys/signer.pub").toString());
        assertThat(bad.exitCode()).isEqualTo(4);
        assertThat(bad.out()).startsWith("FAILED: review source event " + approval.getString("event_id") + " differs");
        List<Json> events = new ArrayList<>(bundle.getArray("events").items());
        JsonObject event = (JsonObject) events.get(1);
        events.set(1, event.with("payload", ((JsonObject) event.get("payload")).with("reason", new JsonString("forged"))));
        Files.writeString(forged, JsonWriter.pretty(bundle.with("events", JsonArray.of(events))));
        CliRun badEvent = CliRun.dg("verify-export", forged.toString(), "--public-key", dir.resolve("keys/signer.pub").toString());
        assertThat(badEvent.exitCode()).isEqualTo(4);
        assertThat(badEvent.out()).contains("payload_hash mismatch");
    }
}
