package org.decisiongraph.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;

/** Real databases for the server tests: SQLite temp files and one embedded Postgres per JVM. */
final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {
    }

    static Path newSqlitePath() {
        try {
            return Files.createTempDirectory("dg-workflow-").resolve("events.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Database sqlite() {
        return Database.sqlite(newSqlitePath());
    }

    static synchronized EmbeddedPostgres postgresServer() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // exiting
                }
            }));
        }
        return server;
    }

    static Database postgres() {
        EmbeddedPostgres pg = postgresServer();
        String name = "dg_wf_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return Database.postgres("jdbc:postgresql://localhost:" + pg.getPort() + "/" + name + "?user=postgres", null, null,
                StoreConfig.DEFAULTS);
    }
}
