package org.decisiongraph.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decisiongraph.store.log.Envelopes.finished;
import static org.decisiongraph.store.log.Envelopes.observed;
import static org.decisiongraph.store.log.Envelopes.started;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.audit.Retention;
import org.decisiongraph.store.audit.SigningKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Redaction and retention on a backend: the chain stays verifiable, every change is recorded, tampering shows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LifecycleContract {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    static final Redactions.Actor ACTOR = new Redactions.Actor("system", "cli:test", List.of(), null);
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final AtomicInteger IDS = new AtomicInteger();

    Database db;
    EventLog log;
    AuditChain chain;
    Redactions redactions;
    Retention retention;
    String tenant;
    String location;

    @TempDir
    Path tmp;

    abstract String newLocation();

    abstract Database open(String location);

    abstract Connection raw(String location) throws SQLException;

    /** SQL that switches the event log's guard trigger off. */
    abstract List<String> disableLogGuard();

    /** SQL that switches the append-only trigger of a record table off. */
    abstract List<String> disableRecordGuard(String table);

    @BeforeAll
    void openDb() {
        location = newLocation();
        db = open(location);
        log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
        chain = AuditChain.of(db);
        redactions = new Redactions(db, () -> "r" + IDS.incrementAndGet(), new SecureRandom());
        retention = new Retention(db, () -> "x" + IDS.incrementAndGet());
    }

    @AfterAll
    void closeDb() {
        db.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "life-" + TENANTS.incrementAndGet();
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = raw(location); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private StoredEvent event(String eventId) {
        return log.listEvents(tenant, EventQuery.ALL).stream()
                .filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow();
    }

    private List<EventEnvelope> trace(String id, String key) {
        return List.of(started(id, key + "0"), observed(id, 1, key + "1"), finished(id, 2, key + "2"));
    }

    @Test
    void aRedactionReplacesTheValueKeepsTheChainAndIsRecorded() {
        log.appendBatch(tenant, trace("T", "k"));
        StoredEvent before = event("k1-id");
        String chainBefore = chain.verify(tenant, null).head();

        Redactions.Result r = redactions.redact(tenant, "k1-id", "entity.entity_id", "GDPR erasure request #7",
                ACTOR, T0.plusSeconds(60));

        StoredEvent after = event("k1-id");
        assertThat(after.payloadHash()).isEqualTo(before.payloadHash());
        assertThat(((JsonObject) after.payload()).getObject("entity").get("entity_id"))
                .isEqualTo(new JsonString(Redactions.MARKER));
        assertThat(((JsonObject) after.payload()).get("role")).isEqualTo(Json.of("primary"));
        assertThat(r.redaction().afterPayloadHash()).isEqualTo(Hashing.payloadHash(after.payload()));
        assertThat(r.redaction().originalPayloadHash()).isEqualTo(before.payloadHash());
        // the commitment binds the removed value to the salt that was shown once
        assertThat(r.redaction().valueCommitment()).isEqualTo(Hashing.sha256(JsonWriter.canonical(
                JsonObject.builder().put("salt", r.salt()).put("value", Json.of("k1")).build())));

        AuditChain.Report chainReport = chain.verify(tenant, null);
        assertThat(chainReport.ok()).isTrue();
        assertThat(chainReport.head()).isEqualTo(chainBefore);
        Redactions.Check check = redactions.verify(tenant);
        assertThat(check.problems()).isEmpty();
        assertThat(check.verified()).isEqualTo(1);
        assertThat(check.accepted()).containsEntry(after.logSeq(), Hashing.payloadHash(after.payload()));
        assertThat(log.redactedPayloadHash(tenant, after.logSeq())).isEqualTo(r.redaction().afterPayloadHash());

        var audit = new AccessStore(db).queryAudit(new AuditQuery(tenant, Redactions.AUDIT_ACTION, null, null, null, null, null, null, null, 10));
        assertThat(audit).hasSize(1);
        assertThat(audit.getFirst().record().reason()).isEqualTo("GDPR erasure request #7");
        assertThat(audit.getFirst().record().details().getString("record_hash")).isEqualTo(r.redaction().recordHash());

        // a second field of the same event continues the sequence
        Redactions.Result second = redactions.redact(tenant, "k1-id", "role", "minimise", ACTOR, T0.plusSeconds(61));
        assertThat(second.redaction().seq()).isEqualTo(2);
        assertThat(second.redaction().beforePayloadHash()).isEqualTo(r.redaction().afterPayloadHash());
        assertThat(redactions.verify(tenant).problems()).isEmpty();
        assertThat(redactions.verify(tenant).verified()).isEqualTo(2);
    }

    @Test
    void badRedactionRequestsAreRefusedWithoutAWrite() {
        log.appendBatch(tenant, trace("T", "b"));
        assertThatThrownBy(() -> redactions.redact(tenant, "nope", "role", "r", ACTOR, T0))
                .isInstanceOfSatisfying(DgException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_NOT_FOUND));
        assertThatThrownBy(() -> redactions.redact(tenant, "b1-id", "missing.path", "r", ACTOR, T0))
                .isInstanceOfSatisfying(DgException.class, e -> assertThat(e.message())
                        .isEqualTo("field 'missing.path' not found in the payload"));
        assertThatThrownBy(() -> redactions.redact(tenant, "b1-id", "role", " ", ACTOR, T0))
                .isInstanceOfSatisfying(DgException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT));
        redactions.redact(tenant, "b1-id", "role", "r", ACTOR, T0);
        assertThatThrownBy(() -> redactions.redact(tenant, "b1-id", "role", "r", ACTOR, T0))
                .isInstanceOfSatisfying(DgException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_CONFLICT));
        assertThat(redactions.list(tenant)).hasSize(1);
    }

    @Test
    void theTriggersRefuseAPayloadChangeWithoutARecordAndADeleteWithoutATombstone() throws Exception {
        // a database of its own: other tests switch the guards off on the shared one
        String fresh = newLocation();
        try (Database own = open(fresh)) {
            EventLog ownLog = EventLog.open(own, EventTypeSet.REFERENCE, CLOCK);
            ownLog.appendBatch(tenant, trace("T", "g"));
            try (Connection c = raw(fresh)) {
                for (String sql : List.of("UPDATE dg_event_log SET payload_json = '{\"role\":\"x\"}' WHERE tenant_id = ?",
                        "DELETE FROM dg_event_log WHERE tenant_id = ?")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, tenant);
                        assertThatThrownBy(ps::executeUpdate).as(sql).hasMessageContaining("append-only");
                    }
                }
            }
            // with the record, the same kind of change goes through (the redaction path)
            new Redactions(own, () -> "own", new SecureRandom()).redact(tenant, "g1-id", "role", "r", ACTOR, T0);
            assertThat(AuditChain.of(own).verify(tenant, null).ok()).isTrue();
        }
    }

    @Test
    void aTamperedRedactionRecordOrAChangeAfterTheRedactionIsReported() throws Exception {
        log.appendBatch(tenant, trace("T", "t"));
        Redactions.Result r = redactions.redact(tenant, "t1-id", "role", "original reason", ACTOR, T0);
        List<String> sql = new ArrayList<>(disableRecordGuard("dg_redactions"));
        sql.add("UPDATE dg_redactions SET reason = 'a nicer reason' WHERE redaction_id = '" + r.redaction().redactionId() + "'");
        sql(sql.toArray(String[]::new));
        Redactions.Check check = redactions.verify(tenant);
        assertThat(check.problems()).singleElement().asString().startsWith("redaction " + r.redaction().redactionId()
                + " of event t1-id (log_seq 2): the record was changed: its members hash to sha256:");
        assertThat(check.accepted()).isEmpty();
    }

    @Test
    void aPayloadChangedAfterItsRedactionIsReported() throws Exception {
        log.appendBatch(tenant, trace("T", "a"));
        redactions.redact(tenant, "a1-id", "role", "r", ACTOR, T0);
        List<String> sql = new ArrayList<>(disableLogGuard());
        sql.add("UPDATE dg_event_log SET payload_json = '{\"role\":\"[REDACTED]\"}' WHERE tenant_id = '" + tenant
                + "' AND log_seq = 2");
        sql(sql.toArray(String[]::new));
        assertThat(redactions.verify(tenant).problems()).singleElement().asString()
                .startsWith("event a1-id (log_seq 2): the stored payload hashes to sha256:")
                .endsWith("(a change after the redaction was not recorded)");
    }

    @Test
    void retentionArchivesAndRemovesOldTracesKeepingTheChainVerifiable() throws Exception {
        List<EventEnvelope> all = new ArrayList<>();
        all.addAll(trace("old-1", "o"));
        all.addAll(trace("old-2", "p"));
        all.add(started("open", "q0"));
        log.appendBatch(tenant, all);
        log.appendBatch(tenant, trace("anchor", "z")); // the trace of the last event is kept
        String head = chain.verify(tenant, null).head();
        redactions.redact(tenant, "o1-id", "role", "before retention", ACTOR, T0);

        Path dir = tmp.resolve("archive");
        retention.setPolicy(tenant, 30, dir.toString(), ACTOR, T0);
        assertThat(retention.policy(tenant).orElseThrow().retainDays()).isEqualTo(30);
        SigningKeys.Keys keys = SigningKeys.generate();

        // nothing is older than 30 days yet
        assertThat(retention.run(tenant, keys, ACTOR, T0.plus(Duration.ofDays(10))).run()).isNull();

        Retention.Outcome out = retention.run(tenant, keys, ACTOR, T0.plus(Duration.ofDays(40)));
        Retention.Run run = out.run();
        assertThat(run.traceCount()).isEqualTo(2);
        assertThat(run.eventCount()).isEqualTo(6);
        assertThat(log.eventCount(tenant)).isEqualTo(4);
        assertThat(log.lastLogSeq(tenant)).isEqualTo(10);
        assertThat(chain.tombstones(tenant, 1, 100).keySet()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

        AuditChain.Report report = chain.verify(tenant, null);
        assertThat(report.ok()).as(String.valueOf(report.firstBreak())).isTrue();
        assertThat(report.head()).isEqualTo(head);
        assertThat(report.checked()).isEqualTo(10);
        assertThat(chain.storedChainAt(tenant, 3)).startsWith("sha256:");
        assertThat(retention.verify(tenant).problems()).isEmpty();
        assertThat(redactions.verify(tenant).problems()).isEmpty();

        // the archive: one line per removed event, hashed in the signed manifest
        Path archive = Path.of(run.archiveFile());
        List<String> lines = Files.readAllLines(archive);
        assertThat(lines).hasSize(6);
        assertThat(((JsonObject) JsonParser.parse(lines.get(0))).getString("event_id")).isEqualTo("o0-id");
        JsonObject manifestFile = (JsonObject) JsonParser.parse(Files.readString(
                archive.resolveSibling(run.runId() + ".manifest.json")));
        JsonObject manifest = manifestFile.getObject("manifest");
        assertThat(manifest.getString("archive_sha256")).isEqualTo(Hashing.sha256(Files.readAllBytes(archive)));
        assertThat(SigningKeys.verify(keys.publicKey(), JsonWriter.canonical(manifest), manifestFile.getString("signature")))
                .isTrue();
        assertThat(Hashing.sha256(JsonWriter.canonical(manifest))).isEqualTo(run.manifestHash());

        // new appends continue the chain after the gap
        log.append(tenant, observed("open", 1, "q1"));
        assertThat(chain.verify(tenant, null).ok()).isTrue();
        assertThat(chain.verify(tenant, null).checked()).isEqualTo(11);
    }

    @Test
    void aRangeBundleOverAGapHasTombstoneLinksAndARedactedEventVerifies() throws Exception {
        log.append(tenant, started("open", "u0"));
        log.appendBatch(tenant, trace("old", "s"));
        log.append(tenant, observed("open", 1, "u1"));
        log.append(tenant, started("anchor", "x0"));
        redactions.redact(tenant, "u1-id", "role", "erasure", ACTOR, T0);
        retention.setPolicy(tenant, 1, tmp.resolve("a4").toString(), ACTOR, T0);
        assertThat(retention.run(tenant, null, ACTOR, T0.plus(Duration.ofDays(2))).run().eventCount()).isEqualTo(3);
        SigningKeys.Keys keys = SigningKeys.generate();
        var checkpoint = org.decisiongraph.store.audit.Checkpoint.sign(keys, tenant, 6, chain.storedChainAt(tenant, 6),
                java.util.Map.of("context_graph", "sha256:a", "trace_summary", "sha256:b", "precedent_index", "sha256:c",
                        "full_projection", "sha256:d"), "2026-03-03T00:00:00.000000Z");
        JsonObject bundle = org.decisiongraph.store.audit.EvidenceBundle.build(chain,
                org.decisiongraph.store.audit.EvidenceBundle.rangeSelection(1, 6), chain.range(tenant, 1, 6), checkpoint,
                redactions.list(tenant));
        var result = org.decisiongraph.store.audit.EvidenceVerifier.verify(bundle, keys.publicKey());
        assertThat(result.failure()).isNull();
        assertThat(result.events()).isEqualTo(3);
        assertThat(result.links()).isEqualTo(6);
        assertThat(bundle.getArray("chain_links").get(1).toString()).contains("\"removed\"");
        // without the redaction records the redacted payload does not verify
        JsonObject stripped = bundle.with("events", Json.array(bundle.getArray("events").items().stream()
                .map(e -> (Json) JsonObject.of(((JsonObject) e).members().entrySet().stream()
                        .filter(m -> !m.getKey().equals("redactions"))
                        .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue))))
                .toList()));
        assertThat(org.decisiongraph.store.audit.EvidenceVerifier.verify(stripped, keys.publicKey()).failure())
                .startsWith("event u1-id (log_seq=5): payload_hash mismatch: the payload hashes to sha256:");
    }

    @Test
    void anEventDeletedOutsideATombstoneBreaksTheChain() throws Exception {
        log.appendBatch(tenant, trace("T", "d"));
        log.appendBatch(tenant, trace("U", "e"));
        List<String> sql = new ArrayList<>(disableLogGuard());
        sql.add("DELETE FROM dg_event_log WHERE tenant_id = '" + tenant + "' AND log_seq = 2");
        sql(sql.toArray(String[]::new));
        assertThat(chain.verify(tenant, null).firstBreak().describe())
                .isEqualTo("chain broken at log_seq=2: log_seq 2 is missing (next stored log_seq is 3)");
    }

    @Test
    void aTamperedTombstoneOrRunIsReported() throws Exception {
        log.appendBatch(tenant, trace("old", "m"));
        log.appendBatch(tenant, trace("anchor", "n"));
        retention.setPolicy(tenant, 1, tmp.resolve("a2").toString(), ACTOR, T0);
        Retention.Run run = retention.run(tenant, null, ACTOR, T0.plus(Duration.ofDays(2))).run();
        assertThat(run.eventCount()).isEqualTo(3);
        assertThat(retention.verify(tenant).problems()).isEmpty();
        List<String> sql = new ArrayList<>(disableRecordGuard("dg_event_tombstones"));
        sql.add("UPDATE dg_event_tombstones SET event_hash = 'sha256:" + "1".repeat(64) + "' WHERE tenant_id = '"
                + tenant + "' AND log_seq = 2");
        sql(sql.toArray(String[]::new));
        assertThat(chain.verify(tenant, null).firstBreak().describe())
                .startsWith("chain broken at log_seq=2: the retention tombstone's chain_hash sha256:");
        assertThat(retention.verify(tenant).problems()).singleElement().asString()
                .startsWith("retention run " + run.runId() + ": its 3 tombstones hash to sha256:");
    }

    @Test
    void theFastVerifierAgreesWithTheEventHashOnAnyText() {
        List<String> texts = List.of("plain", "quote\"d", "back\\slash", "tab\there", "ünïcödé", "emoji \uD83D\uDE00",
                "del\u007f", "ctl\u0001", "日本語", "");
        List<EventEnvelope> batch = new ArrayList<>();
        batch.add(started("odd", "odd0"));
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            batch.add(new EventEnvelope("odd-" + i, "odd", i + 1, "EntityObserved", "2026-01-01T00:00:00Z",
                    new org.decisiongraph.core.event.Source("p-" + t, "sys" + t, t.isEmpty() ? null : t),
                    new org.decisiongraph.core.event.Actor("agent", "a" + t), "key-" + i + t,
                    Envelopes.observedPayload("e" + i), t.isEmpty() ? null : "corr" + t, null, 1,
                    List.of(t, "x" + t)));
        }
        log.appendBatch(tenant, batch);
        assertThat(log.eventCount(tenant)).isEqualTo(texts.size() + 1);
        AuditChain.Report r = chain.verify(tenant, null);
        assertThat(r.ok()).as(String.valueOf(r.firstBreak())).isTrue();
        assertThat(r.checked()).isEqualTo(texts.size() + 1);
        String head = ChainHash.GENESIS;
        for (StoredEvent e : log.listEvents(tenant, EventQuery.ALL)) {
            head = ChainHash.next(head, e);
        }
        assertThat(r.head()).isEqualTo(head);
    }

    @Test
    void aBrokenLinkDeepInsideALargePageIsTheFirstBreak() throws Exception {
        List<EventEnvelope> batch = new ArrayList<>();
        batch.add(started("big", "big0"));
        for (int i = 1; i < 2500; i++) {
            batch.add(observed("big", i, "big" + i));
        }
        log.appendBatch(tenant, batch);
        assertThat(chain.verify(tenant, null).checked()).isEqualTo(2500);
        List<String> sql = new ArrayList<>(disableLogGuard());
        sql.add("UPDATE dg_event_log SET actor_id = 'mallory' WHERE tenant_id = '" + tenant
                + "' AND log_seq IN (1700, 2100)");
        sql(sql.toArray(String[]::new));
        AuditChain.Report r = chain.verify(tenant, null);
        assertThat(r.firstBreak().logSeq()).isEqualTo(1700);
        assertThat(r.checked()).isEqualTo(1699);
        assertThat(r.head()).isEqualTo(chain.storedChainAt(tenant, 1699));
    }
}
