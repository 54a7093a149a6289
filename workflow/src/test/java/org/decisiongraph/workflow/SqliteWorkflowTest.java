package org.decisiongraph.workflow;

import org.decisiongraph.store.Database;

class SqliteWorkflowTest extends WorkflowContract {
    @Override
    Database openDatabase() {
        return TestDatabases.sqlite();
    }
}
