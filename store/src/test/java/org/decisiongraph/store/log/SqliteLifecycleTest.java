package org.decisiongraph.store.log;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;

class SqliteLifecycleTest extends LifecycleContract {
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
    List<String> disableLogGuard() {
        return List.of("DROP TRIGGER IF EXISTS dg_event_log_no_update", "DROP TRIGGER IF EXISTS dg_event_log_no_delete");
    }

    @Override
    List<String> disableRecordGuard(String table) {
        return List.of("DROP TRIGGER IF EXISTS " + table + "_no_update");
    }
}
