package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class PostgresWorkflowHttpTest extends WorkflowHttpContract {
    @Override
    Database openDatabase() {
        return TestDatabases.postgres();
    }
}
