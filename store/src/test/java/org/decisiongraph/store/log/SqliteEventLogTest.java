package org.decisiongraph.store.log;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.TestDatabases;

class SqliteEventLogTest extends EventLogContract {
    @Override
    Database openDatabase() {
        return Database.sqlite(TestDatabases.newSqlitePath());
    }
}
