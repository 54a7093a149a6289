package org.decisiongraph.workflow;

import java.nio.file.Path;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;

/** Open databases for the workflow tests, on the shared test databases of {@code testkit}. */
final class TestDatabases {
    private TestDatabases() {
    }

    static Path newSqlitePath() {
        return org.decisiongraph.testkit.TestDatabases.newSqlitePath();
    }

    static Database sqlite() {
        return Database.sqlite(newSqlitePath());
    }

    /** A new, empty Postgres database of the shared embedded server; its JDBC URL. */
    static String postgresUrl() {
        return org.decisiongraph.testkit.TestDatabases.newPostgresUrl();
    }

    static Database postgres() {
        return Database.postgres(postgresUrl(), null, null, StoreConfig.DEFAULTS);
    }
}
