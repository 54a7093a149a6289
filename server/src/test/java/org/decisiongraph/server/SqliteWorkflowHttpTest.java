package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class SqliteWorkflowHttpTest extends WorkflowHttpContract {
    @Override
    Database openDatabase() {
        return TestDatabases.sqlite();
    }
}
