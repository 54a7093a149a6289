package org.decisiongraph.server;

import org.decisiongraph.store.Database;

class PostgresEvidenceHttpTest extends EvidenceHttpContract {
    @Override
    Database openDatabase() {
        return TestDatabases.postgres();
    }
}
