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
            String ddl;
            try (var rs = h.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'dg_event_log_no_update'")
                    .executeQuery()) {
                rs.next();
                ddl = rs.getString(1);
            }
            h.prepare("DROP TRIGGER dg_event_log_no_update").executeUpdate();
            var ps = h.prepare("UPDATE dg_event_log SET payload_hash = ? WHERE tenant_id = ? AND log_seq = ?");
            ps.setString(1, hash);
            ps.setString(2, tenant);
            ps.setLong(3, logSeq);
            ps.executeUpdate();
            h.prepare(ddl).executeUpdate(); // the trigger as the migrations left it
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
