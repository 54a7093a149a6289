package org.decisiongraph.workflow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.EventQuery;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.testkit.TestDatabases;
import org.decisiongraph.workflow.WorkflowConfig;
import org.junit.jupiter.api.Test;

/** The release demo of platform spec 4.7 against the tables of §4.7.1 and the workflow state of §4.7.3. */
class ReleaseDemoTest {
    /** Before both SLA deadlines of the open items (14:04 and 14:37): nothing escalates. */
    static final Instant BEFORE_DEADLINES = Instant.parse("2026-03-07T11:00:00Z");
    /** After both deadlines: the first sweep escalates both open items. */
    static final Instant AFTER_DEADLINES = Instant.parse("2026-03-08T00:00:00Z");

    /**
     * The digests of the seeded tenant (log_seq 1-22, no traffic), recorded from the first seeding and checked
     * on SQLite and Postgres. The specification gives no digests for the demo (the reference's report digests
     * are run-specific), so these are this project's record; the projections themselves are checked against
     * the reference by the projection fixtures.
     */
    static final ProjectionDigests RECORDED = new ProjectionDigests(
            "sha256:1a83bdee0f5c5faa0d12d6d564c968b71adb6f033025dc886e083a6783db63ea",
            "sha256:5b1a8da9e454888da65ac1ae9d438f0b2ccd71b8645994e00f2e57bf00a00344",
            "sha256:c72f5d5127f512aed18e1a0e127f45bfd994405f3b575100c344103f9e94f1ff",
            "sha256:b85b780f9f5957f76c32d8d9f00cee8d11b7db4778a3c6915f92d599aec68e05");

    record Row(long logSeq, long traceSeq, String type, String eventId, String key, String occurredAt, String producer,
               String subsystem, String causation, String payloadHash) {
    }

    static List<Row> specTable() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ReleaseDemoTest.class.getResourceAsStream("spec-table.txt"), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                rows.add(new Row(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], f[3], f[4], f[5], f[6], f[7],
                        "-".equals(f[8]) ? null : f[8], f[9]));
            }
        }
        return rows;
    }

    static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    @Test
    void envelopesMatchTheSpecTableAndTheirPayloadHashesAreTheDerivedColumn() throws IOException {
        List<Row> table = specTable();
        List<EventEnvelope> envelopes = ReleaseDemo.envelopes();
        assertThat(table).hasSize(22);
        assertThat(envelopes).hasSize(22);
        for (int i = 0; i < 22; i++) {
            Row row = table.get(i);
            EventEnvelope e = envelopes.get(i);
            assertThat(Hashing.payloadHash(e.payload())).as(row.eventId()).isEqualTo(row.payloadHash());
            assertThat(e.eventId()).isEqualTo(row.eventId());
            assertThat(e.traceSeq()).isEqualTo(row.traceSeq());
            assertThat(e.eventType()).isEqualTo(row.type());
            assertThat(e.idempotencyKey()).isEqualTo(row.key());
            assertThat(e.occurredAt()).isEqualTo(row.occurredAt());
            assertThat(e.source().producerId()).isEqualTo(row.producer());
            assertThat(e.source().subsystem()).isEqualTo(row.subsystem());
            assertThat(e.source().system()).isEqualTo("decisiongraph");
            assertThat(e.causationEventId()).isEqualTo(row.causation());
            assertThat(e.actor().actorId()).isEqualTo("phase10-seeder");
            assertThat(e.actor().actorType()).isEqualTo("system");
            assertThat(e.correlationId()).isEqualTo("phase10:" + e.traceId());
            assertThat(e.tags()).containsExactly("phase10", "release-demo");
            assertThat(e.schemaVersion()).isEqualTo(1);
        }
    }

    @Test
    void seedsAnEmptySqliteTenantWithLogSeq1To22RecordedDigestsAndThe473WorkflowState() throws IOException {
        try (Database db = Database.sqlite(TestDatabases.newSqlitePath())) {
            seedAndCheck(db);
        }
    }

    @Test
    void postgresYieldsTheSameLogAndDigests() throws IOException {
        try (Database db = Database.postgres(TestDatabases.newPostgresUrl(), null, null, StoreConfig.DEFAULTS)) {
            seedAndCheck(db);
        }
    }

    private void seedAndCheck(Database db) throws IOException {
        ReleaseDemo.Result first = ReleaseDemo.seed(db, ReleaseDemo.TENANT, 0, at(BEFORE_DEADLINES), WorkflowConfig.DEFAULTS);
        assertThat(first.appended()).isEqualTo(22);
        assertThat(first.reused()).isZero();
        assertThat(first.referenceComparable()).isTrue();

        EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, at(BEFORE_DEADLINES));
        List<StoredEvent> stored = log.listEvents(ReleaseDemo.TENANT, new EventQuery(null, null, null, null, null));
        List<Row> table = specTable();
        assertThat(stored).hasSize(22);
        for (int i = 0; i < 22; i++) {
            assertThat(stored.get(i).logSeq()).isEqualTo(table.get(i).logSeq());
            assertThat(stored.get(i).envelope().eventId()).isEqualTo(table.get(i).eventId());
            assertThat(stored.get(i).payloadHash()).isEqualTo(table.get(i).payloadHash());
        }
        assertThat(new AccessStore(db).tenant(ReleaseDemo.TENANT)).isPresent();

        // digests: recorded, and a full verification (rebuild in memory vs stored tables and checkpoints) is clean
        Projections projections = Projections.open(db, ReleaseDemo.TENANT, at(BEFORE_DEADLINES));
        assertThat(first.digests()).isEqualTo(projections.digests());
        assertThat(first.digests()).isEqualTo(RECORDED);
        assertThat(projections.verify().clean()).as(JsonWriter.pretty(projections.verify().toJson())).isTrue();

        // workflow state of 4.7.3 before any deadline passed
        WorkflowStore workflows = new WorkflowStore(db);
        WorkflowItem precedent = workflows.item(ReleaseDemo.TENANT, ReleaseDemo.PRECEDENT_WORKFLOW).orElseThrow();
        assertThat(precedent.workflowKind()).isEqualTo("exception_review");
        assertThat(precedent.status()).isEqualTo("approved");
        assertThat(precedent.resolvedAt()).isEqualTo(Instant.parse("2026-03-06T09:06:00Z"));
        assertThat(precedent.slaDueAt()).isEqualTo(Instant.parse("2026-03-06T13:04:00Z"));
        WorkflowItem incidentException = workflows.item(ReleaseDemo.TENANT, ReleaseDemo.INCIDENT_EXCEPTION_WORKFLOW).orElseThrow();
        assertThat(incidentException.status()).isEqualTo("rejected");
        assertThat(incidentException.resolvedAt()).isEqualTo(Instant.parse("2026-03-07T08:36:00Z"));
        assertThat(incidentException.slaDueAt()).isEqualTo(Instant.parse("2026-03-07T12:33:00Z"));
        WorkflowItem incident = workflows.item(ReleaseDemo.TENANT, ReleaseDemo.INCIDENT_WORKFLOW).orElseThrow();
        assertThat(incident.workflowKind()).isEqualTo("incident_review");
        assertThat(incident.status()).isEqualTo("requested");
        assertThat(incident.priority()).isEqualTo("high");
        assertThat(incident.assignedRole()).isEqualTo("admin");
        assertThat(incident.slaDueAt()).isEqualTo(Instant.parse("2026-03-07T14:37:00Z"));
        WorkflowItem live = workflows.item(ReleaseDemo.TENANT, ReleaseDemo.LIVE_WORKFLOW).orElseThrow();
        assertThat(live.workflowKind()).isEqualTo("exception_review");
        assertThat(live.status()).isEqualTo("requested");
        assertThat(live.priority()).isEqualTo("high");
        assertThat(live.assignedRole()).isEqualTo("admin");
        assertThat(live.slaDueAt()).isEqualTo(Instant.parse("2026-03-07T14:04:00Z"));
        assertThat(first.sweep().escalated()).isZero();

        // a re-run after both deadlines appends nothing and escalates both open items once
        ReleaseDemo.Result again = ReleaseDemo.seed(db, ReleaseDemo.TENANT, 0, at(AFTER_DEADLINES), WorkflowConfig.DEFAULTS);
        assertThat(again.appended()).isZero();
        assertThat(again.reused()).isEqualTo(22);
        assertThat(log.lastLogSeq(ReleaseDemo.TENANT)).isEqualTo(22);
        assertThat(again.digests()).isEqualTo(first.digests());
        assertThat(again.sweep().escalated()).isEqualTo(2);
        assertThat(workflows.item(ReleaseDemo.TENANT, ReleaseDemo.LIVE_WORKFLOW).orElseThrow().status()).isEqualTo("escalated");
        assertThat(workflows.item(ReleaseDemo.TENANT, ReleaseDemo.LIVE_WORKFLOW).orElseThrow().slaDueAt())
                .isEqualTo(AFTER_DEADLINES.plusSeconds(4 * 3600));
        assertThat(workflows.item(ReleaseDemo.TENANT, ReleaseDemo.INCIDENT_WORKFLOW).orElseThrow().status()).isEqualTo("escalated");
        assertThat(workflows.item(ReleaseDemo.TENANT, ReleaseDemo.INCIDENT_WORKFLOW).orElseThrow().slaDueAt())
                .isEqualTo(AFTER_DEADLINES.plusSeconds(6 * 3600));
        assertThat(workflows.item(ReleaseDemo.TENANT, ReleaseDemo.PRECEDENT_WORKFLOW).orElseThrow().status()).isEqualTo("approved");

        // the report of 4.7.3 (our contract: 2 open, 0 overdue after the sweep)
        var report = again.report();
        assertThat(report.getString("tenant_id")).isEqualTo("release-demo");
        assertThat(report.getString("seed_profile")).isEqualTo("phase10_release_demo");
        assertThat(JsonWriter.canonical(report.getObject("workflow_inbox").get("open_count"))).isEqualTo("2");
        assertThat(JsonWriter.canonical(report.getObject("workflow_inbox").get("overdue_count"))).isEqualTo("0");
        assertThat(JsonWriter.canonical(report.getObject("workflow_inbox").get("item_ids")))
                .contains(ReleaseDemo.LIVE_WORKFLOW, ReleaseDemo.INCIDENT_WORKFLOW, ReleaseDemo.PRECEDENT_WORKFLOW,
                        ReleaseDemo.INCIDENT_EXCEPTION_WORKFLOW);
        assertThat(report.getObject("live_trace").getString("workflow_status")).isEqualTo("escalated");
        assertThat(JsonWriter.canonical(report.getObject("live_trace").get("precedent_trace_ids")))
                .isEqualTo("[\"trace-precedent-renewal-001\"]");
        assertThat(JsonWriter.canonical(report.getObject("live_trace").get("event_count"))).isEqualTo("6");
        assertThat(report.getObject("console_paths").getString("default")).isEqualTo(
                "/?tenant=release-demo&trace_id=trace-live-renewal-002&workflow_id=trace-live-renewal-002:exception:ex-live-renewal-002");
        assertThat(report.getObject("api_examples").getString("export_workflow_path")).isEqualTo(
                "/api/v1/admin/workflows/trace-incident-review-003:trace_review:incident_triage/export");
        assertThat(JsonWriter.canonical(report.getObject("log_seq_range").get("reference_comparable"))).isEqualTo("true");
    }

    @Test
    void backgroundTrafficFollowsTheDemoEventsAndIsReusedOnReRun() {
        try (Database db = Database.sqlite(TestDatabases.newSqlitePath())) {
            ReleaseDemo.Result first = ReleaseDemo.seed(db, "demo-traffic", 20, at(AFTER_DEADLINES), WorkflowConfig.DEFAULTS);
            assertThat(first.referenceComparable()).isTrue();
            assertThat(first.trafficAppended()).isPositive();
            EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, at(AFTER_DEADLINES));
            long last = log.lastLogSeq("demo-traffic");
            assertThat(last).isEqualTo(22L + first.trafficAppended());
            ReleaseDemo.Result again = ReleaseDemo.seed(db, "demo-traffic", 20, at(AFTER_DEADLINES), WorkflowConfig.DEFAULTS);
            assertThat(again.appended()).isZero();
            assertThat(again.trafficAppended()).isZero();
            assertThat(log.lastLogSeq("demo-traffic")).isEqualTo(last);
            assertThat(again.digests()).isEqualTo(first.digests());
        }
    }
}
