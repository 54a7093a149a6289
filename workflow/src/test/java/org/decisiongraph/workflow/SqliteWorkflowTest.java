package org.decisiongraph.workflow;

import org.decisiongraph.store.Database;

class SqliteWorkflowTest extends WorkflowContract {
    @Override
    Database openDatabase() {
        return TestDatabases.sqlite();
    }

    @Override
    void breakActionInserts(boolean broken) {
        sql(broken ? "CREATE TRIGGER dg_test_broken BEFORE INSERT ON dg_workflow_actions BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
                : "DROP TRIGGER dg_test_broken");
    }

    @Override
    String newDatabaseAtVersion(String version) {
        java.nio.file.Path p = TestDatabases.newSqlitePath();
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource("jdbc:sqlite:" + p, null, null)
                .locations("classpath:" + org.decisiongraph.store.Dialect.SQLITE.migrationLocation()).target(version).load().migrate();
        return p.toString();
    }

    @Override
    java.sql.Connection raw(String location) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:sqlite:" + location);
    }

    @Override
    Database openAt(String location) {
        return Database.sqlite(java.nio.file.Path.of(location));
    }
}
