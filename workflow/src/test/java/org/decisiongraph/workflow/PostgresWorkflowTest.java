package org.decisiongraph.workflow;

import org.decisiongraph.store.Database;

class PostgresWorkflowTest extends WorkflowContract {
    @Override
    Database openDatabase() {
        return TestDatabases.postgres();
    }
}
