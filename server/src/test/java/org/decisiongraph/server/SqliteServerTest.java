package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class SqliteServerTest extends ServerContract {
    @Override
    Database openDatabase() {
        return TestDatabases.sqlite();
    }
}
