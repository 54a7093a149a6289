package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class SqliteEvidenceHttpTest extends EvidenceHttpContract {
    @Override
    Database openDatabase() {
        return TestDatabases.sqlite();
    }
}
