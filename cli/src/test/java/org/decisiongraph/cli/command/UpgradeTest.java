package org.decisiongraph.cli.command;

import javax.sql.DataSource;

import org.decisiongraph.store.Dialect;
import org.decisiongraph.testkit.TestDatabases;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/** {@link UpgradeContract} on SQLite files. */
class SqliteUpgradeTest extends UpgradeContract {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    String newDatabase() {
        return TestDatabases.newSqlitePath().toString();
    }

    @Override
    DataSource dataSource(String db) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        return ds;
    }
}

/** {@link UpgradeContract} on Postgres. */
class PostgresUpgradeTest extends UpgradeContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRES;
    }

    @Override
    String newDatabase() {
        return TestDatabases.newPostgresUrl();
    }

    @Override
    DataSource dataSource(String db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db);
        return ds;
    }
}
