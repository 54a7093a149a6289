package org.decisiongraph.store.log;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;
import org.flywaydb.core.Flyway;

class PostgresAuditChainTest extends AuditChainContract {
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
    void migrateToV2(String location) {
        Flyway.configure(getClass().getClassLoader())
                .dataSource(location, null, null)
                .locations("classpath:" + Dialect.POSTGRES.migrationLocation())
                .target("2")
                .load()
                .migrate();
    }

    @Override
    List<String> disableAppendOnly() {
        return List.of("ALTER TABLE dg_event_log DISABLE TRIGGER dg_event_log_append_only");
    }
}
