package org.decisiongraph.store.log;

import java.util.List;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.TestDatabases;

class PostgresEventLogTest extends EventLogContract {
    @Override
    String newLocation() {
        return TestDatabases.newPostgresUrl();
    }

    @Override
    Database open(String location) {
        return Database.postgres(location, null, null, StoreConfig.DEFAULTS);
    }

    @Override
    List<String> childArgs(String location) {
        return List.of("postgres", location);
    }
}
