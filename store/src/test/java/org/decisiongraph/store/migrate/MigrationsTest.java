package org.decisiongraph.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.Fixtures;
import org.junit.jupiter.api.Test;

class MigrationsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);
    private static final Pattern VERSIONED = Pattern.compile("^V(\\d+)__[a-z0-9_]+\\.sql$");

    private static List<Integer> versions(Dialect dialect) throws IOException, URISyntaxException {
        Path dir = Path.of(MigrationsTest.class.getClassLoader().getResource(dialect.migrationLocation()).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).map(name -> {
                Matcher m = VERSIONED.matcher(name);
                assertThat(m.matches()).as("migration file name %s", name).isTrue();
                return Integer.parseInt(m.group(1));
            }).sorted().toList();
        }
    }

    @Test
    void bothDialectsListTheSameVersions() throws Exception {
        List<Integer> sqlite = versions(Dialect.SQLITE);
        assertThat(sqlite).isNotEmpty().startsWith(1);
        assertThat(versions(Dialect.POSTGRES)).isEqualTo(sqlite);
    }

    private static long historyRows(Database db) {
        return db.tx().read(h -> {
            try (ResultSet rs = h.prepare("SELECT COUNT(*) FROM flyway_schema_history WHERE success = "
                    + (db.dialect() == Dialect.SQLITE ? "1" : "true")).executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void reopeningKeepsDataAndDoesNotMigrateAgain(Supplier<Database> open) throws Exception {
        long rows;
        try (Database db = open.get()) {
            rows = historyRows(db);
            assertThat(rows).isEqualTo(versions(db.dialect()).size());
            EventLog.open(db, EventTypeSet.REFERENCE, CLOCK).appendBatch("acme", Fixtures.goldenScenarios().get(0).events());
        }
        for (int i = 0; i < 2; i++) {
            try (Database db = open.get()) {
                assertThat(historyRows(db)).isEqualTo(rows);
                EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
                assertThat(log.lastLogSeq("acme")).isEqualTo(Fixtures.goldenScenarios().get(0).events().size());
            }
        }
    }

    @Test
    void reopeningASqliteFileKeepsDataAndDoesNotMigrateAgain() throws Exception {
        Path file = TestDatabases.newSqlitePath();
        reopeningKeepsDataAndDoesNotMigrateAgain(() -> Database.sqlite(file));
    }

    @Test
    void reopeningAPostgresDatabaseKeepsDataAndDoesNotMigrateAgain() throws Exception {
        String url = TestDatabases.newPostgresUrl();
        reopeningKeepsDataAndDoesNotMigrateAgain(() -> Database.postgres(url, null, null, StoreConfig.DEFAULTS));
    }

    @Test
    void aNewSqliteFileIsCreatedWithItsDirectories() {
        Path file = TestDatabases.newSqlitePath().resolveSibling("a/b/events.db");
        try (Database db = Database.sqlite(file)) {
            assertThat(db.layout()).isEqualTo(Layout.DECISIONGRAPH);
        }
        assertThat(file).isRegularFile();
    }
}
