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
}
