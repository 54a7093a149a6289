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
}
