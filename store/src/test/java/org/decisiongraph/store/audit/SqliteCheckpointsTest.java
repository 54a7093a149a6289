package org.decisiongraph.store.audit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;

class SqliteCheckpointsTest extends CheckpointsContract {
    @Override
    String newLocation() {
        return TestDatabases.newSqlitePath().toString();
    }

    @Override
    Database open(String location) {
        return Database.sqlite(Path.of(location));
    }

    @Override
    Connection raw(String location) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + location);
    }

    @Override
    String disableAppendOnly() {
        return "DROP TRIGGER IF EXISTS dg_event_log_no_update";
    }
}
