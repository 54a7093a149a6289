package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class PostgresRuntimeTest extends RuntimeContract {
    @Override
    Database openDatabase() {
        return TestDatabases.postgres();
    }

    @Override
    void corruptPayloadHash(Database db, String tenant, long logSeq, String hash) {
        db.tx().write(h -> {
            h.prepare("ALTER TABLE dg_event_log DISABLE TRIGGER USER").executeUpdate();
            var ps = h.prepare("UPDATE dg_event_log SET payload_hash = ? WHERE tenant_id = ? AND log_seq = ?");
            ps.setString(1, hash);
            ps.setString(2, tenant);
            ps.setLong(3, logSeq);
            ps.executeUpdate();
            h.prepare("ALTER TABLE dg_event_log ENABLE TRIGGER USER").executeUpdate();
            return null;
        });
    }

    @Override
    void editTraceSummaryTitle(Database db, String tenant) {
        db.tx().write(h -> {
            var ps = h.prepare("UPDATE dg_trace_summary SET title = 'tampered' WHERE tenant_id = ?");
            ps.setString(1, tenant);
            return ps.executeUpdate();
        });
    }
}
