package org.decisiongraph.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.migrate.Migrations;
import org.decisiongraph.store.sql.SqlErrors;
import org.decisiongraph.store.sql.Tx;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * An open database: its dialect, its layout, a connection pool and the {@link Tx} that runs work on it.
 * Writable opens create and migrate the schema; read-only opens never write a byte (SQLite files are
 * opened with {@code mode=ro} and {@code query_only}). Reference-layout SQLite files (written by the Python
 * reference) can only be opened read-only. Thread-safe; close it when done.
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final Layout layout;
    private final boolean readOnly;
    private final StoreConfig config;
    private final HikariDataSource pool;
    private final Tx tx;
    private final String description;
    private final AutoCloseable checkpointer;
    private Migrations.Result migration;

    private Database(Dialect dialect, Layout layout, boolean readOnly, StoreConfig config, HikariDataSource pool,
                     Tx tx, String description, AutoCloseable checkpointer) {
        this.dialect = dialect;
        this.layout = layout;
        this.readOnly = readOnly;
        this.config = config;
        this.pool = pool;
        this.tx = tx;
        this.description = description;
        this.checkpointer = checkpointer;
    }

    // --- factories --------------------------------------------------------------------------------

    /** Opens (creating and migrating if needed) a SQLite database file with default settings. */
    public static Database sqlite(Path file) {
        return sqlite(file, StoreConfig.DEFAULTS);
    }

    /** Opens (creating and migrating if needed) a SQLite database file. */
    public static Database sqlite(Path file, StoreConfig config) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Path abs = file.toAbsolutePath();
        if (Files.isRegularFile(abs)) {
            // never touch a reference-layout file through a writable connection
            try (Database probe = sqliteReadOnly(abs, config)) {
                if (probe.layout() == Layout.REFERENCE) {
                    throw DgErrors.invalidArgument("'" + file + "' is a reference-layout database (written by the"
                            + " Python reference); it can only be opened read-only");
                }
            }
        }
        if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
            try {
                Files.createDirectories(abs.getParent());
            } catch (java.io.IOException e) {
                throw DgErrors.storage("unable to create directory '" + abs.getParent() + "': " + e.getMessage(), e);
            }
        }
        SQLiteConfig sc = baseSqliteConfig(config);
        sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sc.setSynchronous(config.sqliteSync() == StoreConfig.SqliteSync.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        String url = "jdbc:sqlite:" + abs;
        HikariDataSource pool = sqlitePool(url, sc, config, null);
        try {
            Migrations.Result migration = Migrations.run(pool, Dialect.SQLITE);
            SQLiteDataSource writerSource = newSqliteDataSource(url, sc);
            Tx tx = Tx.sqlite(pool, () -> {
                Connection c = writerSource.getConnection();
                try (var st = c.createStatement()) {
                    // commits never wait for a checkpoint: the checkpointer thread below does them
                    st.execute("PRAGMA wal_autocheckpoint = 0");
                    // the writer touches index pages all over (random ids and keys): give it a large cache
                    st.execute("PRAGMA cache_size = -262144");
                }
                return c;
            }, config.maxAttempts(), false);
            SqliteCheckpointer checkpointer = new SqliteCheckpointer(writerSource, file.toString());
            Database db = new Database(Dialect.SQLITE, Layout.DECISIONGRAPH, false, config, pool, tx, file.toString(),
                    checkpointer);
            db.migration = migration;
            AuditChain.backfill(db);
            return db;
        } catch (RuntimeException e) {
            pool.close();
            throw storageFailure(e);
        }
    }

    /** Opens a SQLite file read-only (any layout, never migrated, no journal or WAL file left behind). */
    public static Database sqliteReadOnly(Path file) {
        return sqliteReadOnly(file, StoreConfig.DEFAULTS);
    }

    public static Database sqliteReadOnly(Path file, StoreConfig config) {
        Objects.requireNonNull(file, "file");
        Path abs = file.toAbsolutePath();
        if (!Files.isRegularFile(abs)) {
            throw DgErrors.storage("unable to open database file", null);
        }
        SQLiteConfig sc = baseSqliteConfig(config);
        sc.setReadOnly(true);
        // A WAL-mode file opened read-only gets -wal and -shm files that outlive the connection. When no
        // -wal file exists, no connection has the file open and everything is in the main file: read it
        // as immutable (no locks, no side files). Otherwise share the existing WAL like any reader.
        boolean idleWalFile = isWalMode(abs) && !Files.exists(Path.of(abs + "-wal"));
        String url = "jdbc:sqlite:" + abs.toUri() + (idleWalFile ? "?mode=ro&immutable=1" : "?mode=ro");
        HikariDataSource pool = sqlitePool(url, sc, config, "PRAGMA query_only = ON");
        try {
            Layout layout = detect(pool);
            Tx tx = Tx.sqlite(pool, () -> {
                throw new SQLException("attempt to write a readonly database");
            }, config.maxAttempts(), true);
            return new Database(Dialect.SQLITE, layout, true, config, pool, tx, file.toString(), () -> { });
        } catch (RuntimeException e) {
            pool.close();
            throw storageFailure(e);
        }
    }

    /** Opens (and migrates) a Postgres database. */
    public static Database postgres(String url, String user, String password, StoreConfig config) {
        return postgres(url, user, password, config, false);
    }

    /** Opens a Postgres database without migrating it and without writing. */
    public static Database postgresReadOnly(String url, String user, String password, StoreConfig config) {
        return postgres(url, user, password, config, true);
    }

    /** How long a request waits for a Postgres connection before it fails with a {@code storage} error. */
    static final long POSTGRES_CONNECTION_TIMEOUT_MS = 5_000;

    private static Database postgres(String url, String user, String password, StoreConfig config, boolean readOnly) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(config, "config");
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(1);
        hc.setPoolName("dg-postgres");
        // fail fast while the database is unreachable (Hikari waits 30 s by default): requests answer 503 storage
        // with Retry-After within this bound and the pool reconnects by itself once the database is back
        hc.setConnectionTimeout(POSTGRES_CONNECTION_TIMEOUT_MS);
        hc.setReadOnly(readOnly);
        Properties p = new Properties();
        p.setProperty("reWriteBatchedInserts", "true");
        hc.setDataSourceProperties(p);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw storageFailure(e);
        }
        try {
            Layout layout;
            Migrations.Result migration = null;
            if (readOnly) {
                layout = detect(pool);
            } else {
                migration = Migrations.run(pool, Dialect.POSTGRES);
                layout = Layout.DECISIONGRAPH;
            }
            Tx tx = Tx.postgres(pool, config.maxAttempts(), readOnly);
            String description = new DbLocation.PostgresUrl(url, user, password).toString();
            Database db = new Database(Dialect.POSTGRES, layout, readOnly, config, pool, tx, description, () -> { });
            db.migration = migration;
            AuditChain.backfill(db);
            return db;
        } catch (RuntimeException e) {
            pool.close();
            throw storageFailure(e);
        }
    }

    /** Opens a location for reading and writing (created and migrated when needed). */
    public static Database open(DbLocation location, StoreConfig config) {
        return switch (location) {
            case DbLocation.SqliteFile f -> sqlite(f.path(), config);
            case DbLocation.PostgresUrl u -> postgres(u.url(), u.user(), u.password(), config);
        };
    }

    /** Opens a location read-only: never migrated, never written. */
    public static Database openReadOnly(DbLocation location, StoreConfig config) {
        return switch (location) {
            case DbLocation.SqliteFile f -> sqliteReadOnly(f.path(), config);
            case DbLocation.PostgresUrl u -> postgresReadOnly(u.url(), u.user(), u.password(), config);
        };
    }

    // --- SQLite wiring ----------------------------------------------------------------------------

    private static SQLiteConfig baseSqliteConfig(StoreConfig config) {
        SQLiteConfig sc = new SQLiteConfig();
        sc.setBusyTimeout((int) config.busyTimeout().toMillis());
        sc.enforceForeignKeys(true);
        // the log's indexes have random keys (ids, idempotency keys): keep their pages in memory
        sc.setCacheSize(-65_536);
        sc.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(256L << 20));
        return sc;
    }

    /** Bytes 18 and 19 of a SQLite header are 2 in WAL mode. */
    private static boolean isWalMode(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(20);
            return header.length == 20 && header[18] == 2 && header[19] == 2;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static SQLiteDataSource newSqliteDataSource(String url, SQLiteConfig sc) {
        SQLiteDataSource ds = new SQLiteDataSource(sc);
        ds.setUrl(url);
        return ds;
    }

    private static HikariDataSource sqlitePool(String url, SQLiteConfig sc, StoreConfig config, String initSql) {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(newSqliteDataSource(url, sc));
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(0);
        hc.setPoolName("dg-sqlite");
        if (initSql != null) {
            // read-only: the pool must agree with the driver's read-only flag, which it checks on every connection
            hc.setReadOnly(true);
            hc.setConnectionInitSql(initSql);
        }
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw storageFailure(e);
        }
    }

    private static Layout detect(HikariDataSource pool) {
        try (Connection c = pool.getConnection()) {
            return Layout.detect(c);
        } catch (SQLException e) {
            throw DgErrors.storage(SqlErrors.driverMessage(e), e);
        }
    }

    private static DgException storageFailure(RuntimeException e) {
        if (e instanceof DgException dg) {
            return dg;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return DgErrors.storage(SqlErrors.driverMessage(sql), e);
            }
        }
        return DgErrors.storage(String.valueOf(e.getMessage()), e);
    }

    // --- accessors --------------------------------------------------------------------------------

    public Dialect dialect() {
        return dialect;
    }

    public Layout layout() {
        return layout;
    }

    /** What opening this database migrated (null for read-only opens). */
    public Migrations.Result migration() {
        return migration;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public StoreConfig config() {
        return config;
    }

    /** Runs work on this database (the one place that retries). */
    public Tx tx() {
        return tx;
    }

    @Override
    public String toString() {
        return dialect.name().toLowerCase(java.util.Locale.ROOT) + ":" + description;
    }

    @Override
    public void close() {
        try {
            checkpointer.close();
        } catch (Exception e) {
            // a failed final checkpoint loses nothing: the WAL is replayed on the next open
        }
        tx.close();
        pool.close();
    }
}
