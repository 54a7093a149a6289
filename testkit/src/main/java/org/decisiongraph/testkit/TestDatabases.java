package org.decisiongraph.testkit;

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
 * Real databases for tests, shared by every module's test suite: SQLite file paths in temporary directories
 * (deleted when the JVM exits), and one embedded Postgres server per JVM (started on first use, stopped at
 * exit) that hands out a fresh database per call.
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {
    }

    private static final java.util.List<Path> TEMP_DIRS = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TEMP_DIRS.forEach(TestDatabases::deleteTree)));
    }

    /** A path for a new SQLite file in a fresh temporary directory (deleted when the JVM exits). */
    public static Path newSqlitePath() {
        try {
            Path dir = Files.createTempDirectory("dg-test-");
            TEMP_DIRS.add(dir);
            return dir.resolve("events.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
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
