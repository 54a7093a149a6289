package org.decisiongraph.store.log;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;

class PostgresLifecycleTest extends LifecycleContract {
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
    List<String> disableLogGuard() {
        return List.of("ALTER TABLE dg_event_log DISABLE TRIGGER dg_event_log_append_only");
    }

    @Override
    List<String> disableRecordGuard(String table) {
        return List.of("ALTER TABLE " + table + " DISABLE TRIGGER " + table + "_append_only");
    }
}
