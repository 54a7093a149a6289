package org.decisiongraph.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.List;

import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;

class SqliteEventLogTest extends EventLogContract {
    @Override
    String newLocation() {
        return TestDatabases.newSqlitePath().toString();
    }

    @Override
    Database open(String location) {
        return Database.sqlite(Path.of(location));
    }

    @Override
    List<String> childArgs(String location) {
        return List.of("sqlite", location);
    }

    /** SQLite's own check after every test: the file is never left damaged. */
    @AfterEach
    void integrityCheck() {
        String result = db.tx().read(h -> {
            try (ResultSet rs = h.prepare("PRAGMA integrity_check").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(result).isEqualTo("ok");
    }
}
