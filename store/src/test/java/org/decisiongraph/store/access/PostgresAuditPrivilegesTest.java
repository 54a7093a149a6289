package org.decisiongraph.store.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * Migration V11 on Postgres (docs/OPERATIONS.md, "Database roles"): the service connected as a login role that is a
 * member of {@code dg_app} but does not own the tables works normally and appends audit rows, yet its UPDATE,
 * DELETE and TRUNCATE of {@code audit_log} (and {@code dg_checkpoints}) fail with a permission error (SQLSTATE
 * 42501) before any trigger runs; the owner is still stopped by the append-only trigger.
 */
class PostgresAuditPrivilegesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static AuditRecord record(String tenant, int n) {
        return new AuditRecord(tenant, T0.plusSeconds(n), "service_account", "acct-" + n, List.of("admin"), "tenant_create",
                "tenant", "t-" + n, "accepted", "because " + n, null, "req-" + n, "127.0.0.1",
                JsonObject.builder().put("n", n).build());
    }

    private static String withUser(String url, String user) {
        return url.replace("?user=postgres", "?user=" + user);
    }

    private static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static SQLException failure(String url, String sql) {
        try {
            exec(url, sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected " + sql + " to fail");
    }

    @Test
    void aNonOwnerApplicationRoleCannotRewriteTheAuditLog() throws Exception {
        String ownerUrl = TestDatabases.newPostgresUrl();
        try (Database owner = Database.postgres(ownerUrl, null, null, StoreConfig.DEFAULTS)) {
            assertThat(owner.migration().schemaVersion()).isEqualTo("11");
            new AccessStore(owner).appendAudit(record("t1", 1));
        }
        // a login role of the application: member of dg_app, owner of nothing (roles are per server: once is enough)
        exec(ownerUrl, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dg_service_login') THEN "
                + "CREATE ROLE dg_service_login LOGIN; END IF; END $$");
        exec(ownerUrl, "GRANT dg_app TO dg_service_login");
        String appUrl = withUser(ownerUrl, "dg_service_login");

        // the service opens the database as that role (no pending migration) and works normally
        try (Database app = Database.postgres(appUrl, null, null, StoreConfig.DEFAULTS)) {
            AccessStore store = new AccessStore(app);
            AuditEntry second = store.appendAudit(record("t1", 2));
            assertThat(second.auditId()).isGreaterThan(1);
            assertThat(store.queryAudit(new AuditQuery("t1", null, null, null, null, null, null, null, null, 10))).hasSize(2);
            assertThat(store.firstBrokenAuditLink()).isEmpty();
            store.registerImplicitTenant("t1", T0);
            assertThat(store.tenant("t1")).isPresent();
        }

        // ... but it may not rewrite history: a permission error, not the trigger
        for (String sql : List.of("UPDATE audit_log SET reason = 'rewritten'", "DELETE FROM audit_log",
                "TRUNCATE audit_log", "UPDATE dg_checkpoints SET signature = 'x'", "DELETE FROM dg_checkpoints")) {
            SQLException e = failure(appUrl, sql);
            assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501");
            assertThat(e.getMessage()).contains("permission denied");
        }
        // nor take the trigger away
        assertThat(failure(appUrl, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").getSQLState())
                .isEqualTo("42501");

        // the owner passes the privilege check and is stopped by the append-only trigger
        SQLException byOwner = failure(ownerUrl, "UPDATE audit_log SET reason = 'rewritten'");
        assertThat(byOwner.getMessage()).contains("audit_log is append-only");
        assertThat(failure(ownerUrl, "DELETE FROM audit_log").getMessage()).contains("audit_log is append-only");
    }
}
