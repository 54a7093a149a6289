package org.decisiongraph.store.access;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;

class PostgresAccessStoreTest extends AccessStoreContract {
    @Override
    Database open() {
        return Database.postgres(TestDatabases.newPostgresUrl(), null, null, StoreConfig.DEFAULTS);
    }
}
