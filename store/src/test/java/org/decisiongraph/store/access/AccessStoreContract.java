package org.decisiongraph.store.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Accounts, keys, tenants and the hash-chained, append-only audit log on both databases. */
abstract class AccessStoreContract {
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");

    private Database db;
    private AccessStore store;

    abstract Database open();

    @BeforeEach
    void setUp() {
        db = open();
        store = new AccessStore(db);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static AuditRecord record(String tenant, String action, String outcome, int n) {
        return new AuditRecord(tenant, T0.plusSeconds(n), "service_account", "acct-" + n, List.of("admin"), action,
                "thing", "id-" + n, outcome, "because " + n, null, "req-" + n, "127.0.0.1",
                JsonObject.builder().put("n", n).build());
    }

    @Test
    void accountsAndKeysRoundTripWithHashesOnly() {
        ServiceAccount a = new ServiceAccount("svc", "Service", List.of("writer"), List.of("workflow_review"),
                List.of("t1", "t2"), ServiceAccount.ACTIVE, T0, "test", List.of());
        NewKey k = new NewKey("key-1", "svc", "sha256:" + "a".repeat(64), "abcdefgh", T0, "test", null);
        assertThat(store.createAccount(a, k)).isTrue();
        assertThat(store.createAccount(a, new NewKey("key-2", "svc", "sha256:" + "b".repeat(64), "x", T0, null, null))).isFalse();
        ServiceAccount loaded = store.account("svc").orElseThrow();
        assertThat(loaded.roles()).containsExactly("writer");
        assertThat(loaded.tenantIds()).containsExactly("t1", "t2");
        assertThat(loaded.createdAt()).isEqualTo(T0);
        assertThat(loaded.keys()).hasSize(1);
        KeyOwner owner = store.findByTokenHash("sha256:" + "a".repeat(64)).orElseThrow();
        assertThat(owner.account().accountId()).isEqualTo("svc");
        assertThat(store.findByTokenHash("sha256:" + "c".repeat(64))).isEmpty();
        store.touchKey("key-1", T0.plusSeconds(5));
        assertThat(store.account("svc").orElseThrow().keys().getFirst().lastUsedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.revokeKey("key-1", T0.plusSeconds(9), "admin")).isTrue();
        assertThat(store.revokeKey("key-1", T0.plusSeconds(9), "admin")).isFalse();
        assertThat(store.account("svc").orElseThrow().keys().getFirst().isActiveAt(T0.plusSeconds(10))).isFalse();
        assertThat(store.activeAccountCount()).isEqualTo(1);
        assertThatThrownBy(() -> new NewKey("k", "svc", "plain-token", "p", T0, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenantsRegisterOnceAndImplicitNeverOverwrites() {
        assertThat(store.createTenant(new Tenant("acme", "Acme", "api", T0, "admin"))).isTrue();
        assertThat(store.createTenant(new Tenant("acme", "Other", "api", T0, "admin"))).isFalse();
        store.registerImplicitTenant("acme", T0.plusSeconds(1));
        store.registerImplicitTenant("beta", T0.plusSeconds(2));
        assertThat(store.tenant("acme").orElseThrow().origin()).isEqualTo("api");
        assertThat(store.tenants()).extracting(Tenant::tenantId).containsExactly("acme", "beta");
        assertThat(store.tenant("beta").orElseThrow().origin()).isEqualTo("implicit");
    }

    @Test
    void auditRowsFormOneLinearHashChainPerTenantAndCannotBeChanged() {
        AuditEntry first = store.appendAudit(record("t1", "tenant_create", "accepted", 1));
        AuditEntry other = store.appendAudit(record(null, "auth_denied", "denied", 2));
        AuditEntry second = store.appendAudit(record("t1", "auth_denied", "denied", 3));
        assertThat(first.prevHash()).isEqualTo(AuditEntry.GENESIS);
        assertThat(other.chainId()).isEqualTo(AuditRecord.PLATFORM_CHAIN);
        assertThat(other.prevHash()).isEqualTo(AuditEntry.GENESIS);
        assertThat(second.prevHash()).isEqualTo(first.entryHash());
        assertThat(second.auditId()).isGreaterThan(first.auditId());
        assertThat(first.entryHash()).isEqualTo(AuditEntry.entryHash(AuditEntry.GENESIS, first.auditId(), "t1", first.record()));
        assertThat(store.firstBrokenAuditLink()).isEmpty();

        List<AuditEntry> t1 = store.queryAudit(new AuditQuery("t1", null, null, null, null, null, null, null, null, 10));
        assertThat(t1).extracting(AuditEntry::auditId).containsExactly(second.auditId(), first.auditId());
        assertThat(store.queryAudit(new AuditQuery("t1", "auth_denied", "denied", null, null, null, null, null, null, 10)))
                .hasSize(1);
        assertThat(store.queryAudit(new AuditQuery("t1", null, null, null, null, null, T0.plusSeconds(1), null, null, 10)))
                .extracting(AuditEntry::auditId).containsExactly(second.auditId());
        assertThat(store.queryAudit(new AuditQuery("t1", null, null, null, null, null, null, null, second.auditId(), 10)))
                .extracting(AuditEntry::auditId).containsExactly(first.auditId());
        assertThat(store.queryAudit(new AuditQuery(null, null, null, null, null, null, null, null, null, 10))).hasSize(3);
        assertThat(t1.getFirst().record().details().get("n")).isEqualTo(org.decisiongraph.core.json.Json.of(3));

        // the trigger rejects UPDATE and DELETE
        assertThatThrownBy(() -> db.tx().write(h -> h.prepare("UPDATE audit_log SET reason = 'x'").executeUpdate()))
                .isInstanceOf(DgException.class)
                .satisfies(e -> assertThat(((DgException) e).code()).isEqualTo(ErrorCode.DG_ERR_STORAGE))
                .hasMessageContaining("audit_log is append-only");
        assertThatThrownBy(() -> db.tx().write(h -> h.prepare("DELETE FROM audit_log").executeUpdate()))
                .isInstanceOf(DgException.class)
                .hasMessageContaining("audit_log is append-only");

        // with the trigger removed (an attacker with DDL rights), tampering is detected by the chain
        db.tx().write(h -> {
            if (db.dialect() == Dialect.POSTGRES) {
                h.prepare("DROP TRIGGER audit_log_append_only ON audit_log").execute();
            } else {
                h.prepare("DROP TRIGGER audit_log_no_update").execute();
            }
            PreparedStatementRunner.run(h, "UPDATE audit_log SET reason = 'rewritten' WHERE audit_id = " + first.auditId());
            return null;
        });
        assertThat(store.firstBrokenAuditLink()).contains(first.auditId());
    }

    /** Runs one statement on a handle. */
    static final class PreparedStatementRunner {
        static void run(org.decisiongraph.store.sql.Handle h, String sql) throws java.sql.SQLException {
            h.prepare(sql).executeUpdate();
        }
    }
}
