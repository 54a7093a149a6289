package org.decisiongraph.store.log;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.testkit.TestDatabases;
import org.flywaydb.core.Flyway;

class SqliteAuditChainTest extends AuditChainContract {
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
    void migrateToV2(String location) {
        Flyway.configure(getClass().getClassLoader())
                .dataSource("jdbc:sqlite:" + location, null, null)
                .locations("classpath:" + Dialect.SQLITE.migrationLocation())
                .target("2")
                .load()
                .migrate();
    }

    @Override
    List<String> disableAppendOnly() {
        return List.of("DROP TRIGGER dg_event_log_no_update");
    }
}
