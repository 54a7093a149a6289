package org.decisiongraph.store.access;

import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;

class SqliteAccessStoreTest extends AccessStoreContract {
    @Override
    Database open() {
        return Database.sqlite(TestDatabases.newSqlitePath());
    }
}
