package org.decisiongraph.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Signed checkpoints on a backend: signature, inclusion in the chain, extension of an earlier checkpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CheckpointsContract {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    static final Map<String, String> DIGESTS = Map.of("context_graph", "sha256:aa", "trace_summary", "sha256:bb",
            "precedent_index", "sha256:cc", "full_projection", "sha256:dd");
    private static final AtomicInteger TENANTS = new AtomicInteger();
    static final SigningKeys.Keys KEYS = SigningKeys.generate();

    Database db;
    EventLog log;
    Checkpoints checkpoints;
    String tenant;
    String location;

    abstract String newLocation();

    abstract Database open(String location);

    abstract Connection raw(String location) throws SQLException;

    abstract String disableAppendOnly();

    @BeforeAll
    void openDb() {
        location = newLocation();
        db = open(location);
        log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
        checkpoints = new Checkpoints(db);
    }

    @AfterAll
    void closeDb() {
        db.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "cp-" + TENANTS.incrementAndGet();
    }

    Checkpoint signAt(long seq) {
        return Checkpoint.sign(KEYS, tenant, seq, checkpoints.chain().storedChainAt(tenant, seq), DIGESTS,
                "2026-03-01T12:00:00.000000Z");
    }

    @Test
    void aSignedCheckpointIsStoredReadBackAndVerifies() {
        log.appendBatch(tenant, Fixtures.goldenScenarios().get(0).events());
        long seq = log.lastLogSeq(tenant);
        Checkpoint c = signAt(seq);
        checkpoints.save(c);
        List<Checkpoint> stored = checkpoints.list(tenant);
        assertThat(stored).containsExactly(c);
        Checkpoint back = stored.get(0);
        assertThat(back.signatureValid(KEYS.publicKey())).isTrue();
        assertThat(back.statementJson()).startsWith("{\"chain_hash\":\"" + c.chainHash() + "\",\"created_at\":")
                .contains("\"log_seq\":" + seq + ",\"projection_digests\":{\"context_graph\":\"sha256:aa\"")
                .endsWith("\"tenant_id\":\"" + tenant + "\",\"type\":\"dg.checkpoint.v1\"}");
        assertThat(checkpoints.inclusion(back).ok()).isTrue();
        assertThat(checkpoints.latestCovering(tenant, 1, null)).contains(c);
        assertThat(checkpoints.latestCovering(tenant, seq + 1, null)).isEmpty();
    }

    @Test
    void anotherKeyOrAChangedStatementFailsTheSignature() {
        log.appendBatch(tenant, Fixtures.goldenScenarios().get(0).events());
        Checkpoint c = signAt(3);
        assertThat(c.signatureValid(SigningKeys.generate().publicKey())).isFalse();
        SigningKeys.Keys other = SigningKeys.generate();
        Checkpoint byOther = Checkpoint.sign(other, tenant, 3, c.chainHash(), DIGESTS, c.createdAt());
        // a signature by another key over a statement claiming our key id
        Checkpoint mixed = new Checkpoint(c.tenantId(), c.logSeq(), c.chainHash(), DIGESTS, c.createdAt(), c.keyId(),
                c.statementJson(), byOther.signature());
        assertThat(mixed.signatureValid(KEYS.publicKey())).isFalse();
        Checkpoint edited = Checkpoint.fromStatement(c.statementJson().replace("\"log_seq\":3", "\"log_seq\":2"),
                c.signature());
        assertThat(edited.logSeq()).isEqualTo(2);
        assertThat(edited.signatureValid(KEYS.publicKey())).isFalse();
    }

    @Test
    void aForgedChainHashIsNotIncludedAndCannotBeStored() {
        log.appendBatch(tenant, Fixtures.goldenScenarios().get(0).events());
        Checkpoint real = signAt(4);
        Checkpoint forged = Checkpoint.sign(KEYS, tenant, 4, checkpoints.chain().storedChainAt(tenant, 3), DIGESTS,
                real.createdAt());
        Checkpoints.Inclusion inclusion = checkpoints.inclusion(forged);
        assertThat(inclusion.ok()).isFalse();
        assertThat(inclusion.problem()).isEqualTo("the chain at log_seq=4 is " + real.chainHash()
                + ", the checkpoint says " + forged.chainHash());
        assertThatThrownBy(() -> checkpoints.save(forged)).isInstanceOf(DgException.class)
                .hasMessageContaining("checkpoint does not match the log");
        assertThat(checkpoints.list(tenant)).isEmpty();
    }

    @Test
    void aLaterCheckpointExtendsAnEarlierOne() {
        var events = Fixtures.goldenScenarios().get(0).events();
        log.appendBatch(tenant, events.subList(0, 3));
        Checkpoint first = signAt(3);
        checkpoints.save(first);
        log.appendBatch(tenant, events.subList(3, events.size()));
        Checkpoint second = signAt(events.size());
        checkpoints.save(second);
        assertThat(checkpoints.extendsCheckpoint(second, first).ok()).isTrue();
        Checkpoints.Inclusion backwards = checkpoints.extendsCheckpoint(first, second);
        assertThat(backwards.ok()).isFalse();
        assertThat(backwards.problem()).startsWith("the later checkpoint (log_seq=3) is before");
        Checkpoint unrelated = Checkpoint.sign(KEYS, tenant, 3, "sha256:" + "1".repeat(64), DIGESTS, first.createdAt());
        assertThat(checkpoints.extendsCheckpoint(second, unrelated).problem())
                .isEqualTo("the chain at log_seq=3 is " + first.chainHash() + ", the earlier checkpoint says "
                        + unrelated.chainHash());
    }

    @Test
    void tamperingWithAnIncludedEventBreaksInclusionAtThatEvent() throws Exception {
        log.appendBatch(tenant, Fixtures.goldenScenarios().get(0).events());
        Checkpoint c = signAt(5);
        checkpoints.save(c);
        try (Connection conn = raw(location)) {
            conn.createStatement().execute(disableAppendOnly());
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE dg_event_log SET occurred_at = '2020-01-01T00:00:00Z' WHERE tenant_id = ? AND log_seq = 2")) {
                ps.setString(1, tenant);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        Checkpoints.Inclusion inclusion = checkpoints.inclusion(c);
        assertThat(inclusion.ok()).isFalse();
        assertThat(inclusion.problem()).startsWith("chain broken at log_seq=2: stored chain_hash ");
    }

    @Test
    void keyFilesRoundTripWithMode600() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("dg-keys-");
        SigningKeys.Keys k = SigningKeys.writeNew(dir, "k1");
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("k1.key")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        SigningKeys.Keys priv = SigningKeys.read(dir.resolve("k1.key"));
        SigningKeys.Keys pub = SigningKeys.read(dir.resolve("k1.pub"));
        assertThat(priv.keyId()).isEqualTo(k.keyId()).isEqualTo(pub.keyId()).startsWith("ed25519:").hasSize(40);
        assertThat(pub.privateKey()).isNull();
        String sig = SigningKeys.sign(priv.privateKey(), "hello");
        assertThat(SigningKeys.verify(pub.publicKey(), "hello", sig)).isTrue();
        assertThat(SigningKeys.verify(pub.publicKey(), "hellO", sig)).isFalse();
        assertThatThrownBy(() -> SigningKeys.writeNew(dir, "k1")).hasMessageContaining("already exist");
    }
}
