package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class PostgresServerTest extends ServerContract {
    @Override
    Database openDatabase() {
        return TestDatabases.postgres();
    }
}
