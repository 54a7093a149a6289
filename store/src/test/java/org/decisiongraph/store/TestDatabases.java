package org.decisiongraph.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real databases for tests: SQLite files in temporary directories, and one embedded Postgres server per
 * JVM (started on first use, stopped at exit) that hands out a fresh database per call.
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {
    }

    /** A path for a new SQLite file in a fresh temporary directory. */
    public static Path newSqlitePath() {
        try {
            return Files.createTempDirectory("dg-store-").resolve("events.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared embedded Postgres server. */
    public static synchronized EmbeddedPostgres postgresServer() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    /** JDBC URL of a new, empty database on the shared server (user {@code postgres}, no password). */
    public static String newPostgresUrl() {
        EmbeddedPostgres pg = postgresServer();
        String name = "dg_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name + "?user=postgres";
    }
}
