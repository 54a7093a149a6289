package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class SqliteRuntimeTest extends RuntimeContract {
    @Override
    Database openDatabase() {
        return TestDatabases.sqlite();
    }

    @Override
    void corruptPayloadHash(Database db, String tenant, long logSeq, String hash) {
        db.tx().write(h -> {
            h.prepare("DROP TRIGGER dg_event_log_no_update").executeUpdate();
            var ps = h.prepare("UPDATE dg_event_log SET payload_hash = ? WHERE tenant_id = ? AND log_seq = ?");
            ps.setString(1, hash);
            ps.setString(2, tenant);
            ps.setLong(3, logSeq);
            ps.executeUpdate();
            h.prepare("CREATE TRIGGER dg_event_log_no_update BEFORE UPDATE ON dg_event_log BEGIN"
                    + " SELECT RAISE(ABORT, 'dg_event_log is append-only'); END").executeUpdate();
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
