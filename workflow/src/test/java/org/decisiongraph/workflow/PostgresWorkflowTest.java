package org.decisiongraph.workflow;

import org.decisiongraph.store.Database;

class PostgresWorkflowTest extends WorkflowContract {
    @Override
    Database openDatabase() {
        return TestDatabases.postgres();
    }

    @Override
    void breakActionInserts(boolean broken) {
        sql(broken ? "ALTER TABLE dg_workflow_actions RENAME TO dg_workflow_actions_away"
                : "ALTER TABLE dg_workflow_actions_away RENAME TO dg_workflow_actions");
    }

    @Override
    String newDatabaseAtVersion(String version) {
        String url = TestDatabases.postgresUrl();
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource(url, null, null)
                .locations("classpath:" + org.decisiongraph.store.Dialect.POSTGRES.migrationLocation()).target(version).load().migrate();
        return url;
    }

    @Override
    java.sql.Connection raw(String location) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(location);
    }

    @Override
    Database openAt(String location) {
        return Database.postgres(location, null, null, org.decisiongraph.store.StoreConfig.DEFAULTS);
    }
}
