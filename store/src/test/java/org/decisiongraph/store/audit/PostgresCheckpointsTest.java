package org.decisiongraph.store.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;

class PostgresCheckpointsTest extends CheckpointsContract {
    @Override
    String newLocation() {
        return TestDatabases.newPostgresUrl();
    }

    @Override
    Database open(String location) {
        return Database.postgres(location, null, null, StoreConfig.DEFAULTS);
    }

    @Override
    Connection raw(String location) throws SQLException {
        return DriverManager.getConnection(location);
    }

    @Override
    String disableAppendOnly() {
        return "ALTER TABLE dg_event_log DISABLE TRIGGER dg_event_log_append_only";
    }
}
