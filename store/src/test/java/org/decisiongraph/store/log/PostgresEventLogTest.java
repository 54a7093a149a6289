package org.decisiongraph.store.log;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.TestDatabases;

class PostgresEventLogTest extends EventLogContract {
    @Override
    Database openDatabase() {
        return Database.postgres(TestDatabases.newPostgresUrl(), null, null, StoreConfig.DEFAULTS);
    }
}
