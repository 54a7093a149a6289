package org.decisiongraph.projection;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;

/** Real databases for the SQL-path tests: SQLite files in temporary directories, one embedded Postgres per JVM. */
final class SqlDatabases {
    private SqlDatabases() {
    }

    enum Backend { SQLITE, POSTGRES }

    static Database open(Backend backend) {
        return backend == Backend.SQLITE ? sqlite() : postgres();
    }

    static Database sqlite() {
        return Database.sqlite(TestDatabases.newSqlitePath());
    }

    static Database postgres() {
        return Database.postgres(TestDatabases.newPostgresUrl(), null, null, StoreConfig.DEFAULTS.withPoolSize(3));
    }
}
