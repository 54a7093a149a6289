package org.decisiongraph.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decisiongraph.store.log.Envelopes.envelope;
import static org.decisiongraph.store.log.Envelopes.observed;
import static org.decisiongraph.store.log.Envelopes.started;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The audit chain on a backend: written at append, recomputable from genesis, back-filled by V6. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditChainContract {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00.123456789Z"), ZoneOffset.UTC);
    private static final AtomicInteger TENANTS = new AtomicInteger();

    Database db;
    EventLog log;
    AuditChain chain;
    String tenant;
    String location;

    abstract String newLocation();

    abstract Database open(String location);

    /** A raw JDBC connection to {@code location}. */
    abstract Connection raw(String location) throws SQLException;

    /** Brings a fresh database at {@code location} to schema version 2 only (the layout before the chain). */
    abstract void migrateToV2(String location) throws SQLException;

    /** SQL that lets the test change a stored row, bypassing the append-only triggers. */
    abstract List<String> disableAppendOnly();

    @BeforeAll
    void openDb() {
        location = newLocation();
        db = open(location);
        log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
        chain = AuditChain.of(db);
    }

    @AfterAll
    void closeDb() {
        db.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "chain-" + TENANTS.incrementAndGet();
    }

    static String sha256(String text) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(d);
    }

    List<String> storedChain(String t) throws SQLException {
        try (Connection c = raw(location); PreparedStatement ps = c.prepareStatement(
                "SELECT chain_hash FROM dg_event_log WHERE tenant_id = ? ORDER BY log_seq")) {
            ps.setString(1, t);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    @Test
    void theFirstEventHashesItsDocumentedCanonicalObjectAndLinksToGenesis() throws Exception {
        EventEnvelope e = new EventEnvelope("ev-1", "T", 0, "TraceStarted", "2026-01-01T00:00:00Z",
                Envelopes.SOURCE, Envelopes.ACTOR, "k-1", Envelopes.startedPayload("Té"), "corr", null, 1,
                List.of("b", "a"));
        StoredEvent stored = ((AppendOutcome.Appended) log.append(tenant, e)).event();
        String expectedJson = "{\"actor\":{\"actor_id\":\"a-1\",\"actor_type\":\"agent\"},"
                + "\"causation_event_id\":null,\"correlation_id\":\"corr\",\"event_id\":\"ev-1\","
                + "\"event_type\":\"TraceStarted\",\"idempotency_key\":\"k-1\",\"log_seq\":1,"
                + "\"occurred_at\":\"2026-01-01T00:00:00Z\",\"payload_hash\":\"" + stored.payloadHash() + "\","
                + "\"recorded_at\":\"2026-03-01T12:00:00.123456Z\",\"schema_version\":1,"
                + "\"source\":{\"producer_id\":\"p-1\",\"subsystem\":null,\"system\":\"test\"},"
                + "\"tags\":[\"b\",\"a\"],\"tenant_id\":\"" + tenant + "\",\"trace_id\":\"T\",\"trace_seq\":0}";
        assertThat(JsonWriter.canonical(ChainHash.hashedFields(stored))).isEqualTo(expectedJson);
        String eventHash = sha256(expectedJson);
        assertThat(ChainHash.eventHash(stored)).isEqualTo(eventHash);
        String expectedChain = sha256("sha256:" + "0".repeat(64) + "\n" + eventHash);
        assertThat(storedChain(tenant)).containsExactly(expectedChain);
    }

    @Test
    void everyStoredLinkRecomputesFromGenesisAcrossBatchesAndRejections() throws Exception {
        for (Fixtures.Scenario s : Fixtures.goldenScenarios()) {
            log.appendBatch(tenant, s.events());
        }
        // a batch with rejections in the middle: only accepted events take a link
        List<EventEnvelope> mixed = List.of(started("X", "x0"), observed("X", 5, "bad-seq"), observed("X", 1, "x1"),
                envelope("x1-id", "X", 2, "EntityObserved", "x2", Envelopes.observedPayload("dup-id")));
        List<AppendOutcome> outcomes = log.appendBatch(tenant, mixed);
        assertThat(outcomes).extracting(o -> o instanceof AppendOutcome.Appended)
                .containsExactly(true, false, true, false);
        log.append(tenant, observed("X", 2, "x3"));

        List<StoredEvent> events = log.listEvents(tenant, new EventQuery(null, null, null, null, null));
        List<String> stored = storedChain(tenant);
        assertThat(stored).hasSameSizeAs(events);
        String prev = "sha256:" + "0".repeat(64);
        for (int i = 0; i < events.size(); i++) {
            String expected = sha256(prev + "\n" + sha256(JsonWriter.canonical(ChainHash.hashedFields(events.get(i)))));
            assertThat(stored.get(i)).as("chain at log_seq %d", i + 1).isEqualTo(expected);
            prev = expected;
        }
        AuditChain.Report report = chain.verify(tenant, null);
        assertThat(report.ok()).isTrue();
        assertThat(report.checked()).isEqualTo(events.size());
        assertThat(report.head()).isEqualTo(prev);
        assertThat(chain.storedChainAt(tenant, events.size())).isEqualTo(prev);
        assertThat(chain.verify(tenant, 3L).head()).isEqualTo(stored.get(2));
    }

    @Test
    void tenantsHaveIndependentChains() throws Exception {
        String other = tenant + "-b";
        log.append(tenant, started("T", "k0"));
        log.append(other, started("T", "k0"));
        log.append(tenant, observed("T", 1, "k1"));
        assertThat(storedChain(tenant).get(0)).isNotEqualTo(storedChain(other).get(0));
        assertThat(chain.verify(tenant, null).checked()).isEqualTo(2);
        assertThat(chain.verify(other, null).checked()).isEqualTo(1);
        assertThat(chain.tenants()).contains(tenant, other);
    }

    @Test
    void theLogRefusesToRewriteAChainHashOrAnyOtherColumn() throws Exception {
        log.append(tenant, started("T", "k0"));
        try (Connection c = raw(location)) {
            for (String sql : List.of("UPDATE dg_event_log SET chain_hash = 'sha256:x' WHERE tenant_id = ?",
                    "UPDATE dg_event_log SET actor_id = 'mallory' WHERE tenant_id = ?",
                    "DELETE FROM dg_event_log WHERE tenant_id = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, tenant);
                    assertThatThrownBy(ps::executeUpdate).as(sql).hasMessageContaining("append-only");
                }
            }
        }
        assertThat(chain.verify(tenant, null).ok()).isTrue();
    }

    @Test
    void verifyNamesTheFirstBrokenLink() throws Exception {
        log.appendBatch(tenant, List.of(started("T", "k0"), observed("T", 1, "k1"), observed("T", 2, "k2"),
                observed("T", 3, "k3")));
        try (Connection c = raw(location)) {
            try (var st = c.createStatement()) {
                for (String sql : disableAppendOnly()) {
                    st.execute(sql);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE dg_event_log SET actor_id = 'mallory' WHERE tenant_id = ? AND log_seq IN (3, 4)")) {
                ps.setString(1, tenant);
                assertThat(ps.executeUpdate()).isEqualTo(2);
            }
        }
        AuditChain.Report report = chain.verify(tenant, null);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBreak().logSeq()).isEqualTo(3);
        assertThat(report.checked()).isEqualTo(2);
        assertThat(report.firstBreak().describe()).startsWith("chain broken at log_seq=3: stored chain_hash sha256:");
        assertThat(chain.verify(tenant, 2L).ok()).isTrue();
        assertThat(chain.verify(tenant, 9L).firstBreak().logSeq()).isEqualTo(3);
    }

    @Test
    void migrationV6BackFillsRowsWrittenBeforeItInLogSeqOrder() throws Exception {
        log.appendBatch(tenant, Fixtures.goldenScenarios().get(0).events());
        log.appendBatch(tenant + "-b", Fixtures.goldenScenarios().get(1).events());
        String target = newLocation();
        migrateToV2(target);
        String v1Columns = "tenant_id, " + EventRows.COLUMNS;
        int n = v1Columns.split(",").length;
        try (Connection from = raw(location); Connection to = raw(target);
             PreparedStatement read = from.prepareStatement("SELECT " + v1Columns
                     + " FROM dg_event_log WHERE tenant_id IN (?, ?) ORDER BY tenant_id, log_seq");
             PreparedStatement write = to.prepareStatement("INSERT INTO dg_event_log (" + v1Columns + ") VALUES ("
                     + "?, ".repeat(n - 1) + "?)")) {
            read.setString(1, tenant);
            read.setString(2, tenant + "-b");
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        write.setObject(i, rs.getObject(i));
                    }
                    write.executeUpdate();
                }
            }
        }
        try (Database migrated = open(target)) {
            AuditChain c = AuditChain.of(migrated);
            for (String t : List.of(tenant, tenant + "-b")) {
                assertThat(c.verify(t, null).ok()).isTrue();
                assertThat(c.verify(t, null).head()).isEqualTo(chain.verify(t, null).head());
            }
            // appends after the back-fill extend the back-filled chain
            EventLog after = EventLog.open(migrated, EventTypeSet.REFERENCE, CLOCK);
            after.append(tenant + "-c", started("N", "n0"));
            assertThat(c.verify(tenant + "-c", null).checked()).isEqualTo(1);
        }
        String saved = location;
        location = target;
        try {
            assertThat(storedChain(tenant)).doesNotContainNull().hasSize(Fixtures.goldenScenarios().get(0).events().size());
        } finally {
            location = saved;
        }
    }
}
