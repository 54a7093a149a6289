package org.decisiongraph.projection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;

/** Real databases for the SQL-path tests: SQLite files in temporary directories, one embedded Postgres per JVM. */
final class SqlDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private SqlDatabases() {
    }

    enum Backend { SQLITE, POSTGRES }

    static Database open(Backend backend) {
        return backend == Backend.SQLITE ? sqlite() : postgres();
    }

    static Database sqlite() {
        try {
            return Database.sqlite(Files.createTempDirectory("dg-projection-").resolve("events.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized Database postgres() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
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
        String name = "dg_proj_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + name + "?user=postgres";
        return Database.postgres(url, null, null, StoreConfig.DEFAULTS.withPoolSize(3));
    }
}
