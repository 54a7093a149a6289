package org.decisiongraph.store;

import java.time.Duration;

/**
 * How a {@link Database} is run. Validated once at construction; change a copy with the withers.
 *
 * @param sqliteSync          SQLite {@code PRAGMA synchronous} in WAL mode: {@code NORMAL} (default) loses
 *                            no committed transaction when the process dies, but a power loss or OS crash
 *                            can roll back the transactions committed since the last WAL sync; {@code FULL}
 *                            syncs the WAL on every commit (durable across power loss, much slower)
 * @param busyTimeout         how long SQLite waits for another process's write lock before a retry
 * @param maxAttempts         attempts of one transaction on SQLITE_BUSY or a Postgres serialization
 *                            failure/deadlock before {@code DG_ERR_STORAGE} (1 = no retry)
 * @param poolSize            connections in the pool (Postgres: readers and writers; SQLite: readers, the
 *                            single writer connection comes on top)
 * @param maxPayloadBytes     largest accepted payload, in UTF-8 bytes of its canonical JSON
 */
public record StoreConfig(SqliteSync sqliteSync, Duration busyTimeout, int maxAttempts, int poolSize, int maxPayloadBytes) {

    /** One MiB: the largest canonical payload accepted by default. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

    public static final StoreConfig DEFAULTS =
            new StoreConfig(SqliteSync.NORMAL, Duration.ofSeconds(5), 8, 8, DEFAULT_MAX_PAYLOAD_BYTES);

    /** SQLite {@code PRAGMA synchronous} values offered in WAL mode. */
    public enum SqliteSync { NORMAL, FULL }

    public StoreConfig {
        if (sqliteSync == null) {
            throw new IllegalArgumentException("sqliteSync must be set (default NORMAL)");
        }
        if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE
                    + " ms, got " + busyTimeout + " (default 5s)");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts + " (default 8)");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize + " (default 8)");
        }
        if (maxPayloadBytes < 2) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 2, got " + maxPayloadBytes
                    + " (default " + DEFAULT_MAX_PAYLOAD_BYTES + ")");
        }
    }

    public StoreConfig withSqliteSync(SqliteSync value) {
        return new StoreConfig(value, busyTimeout, maxAttempts, poolSize, maxPayloadBytes);
    }

    public StoreConfig withBusyTimeout(Duration value) {
        return new StoreConfig(sqliteSync, value, maxAttempts, poolSize, maxPayloadBytes);
    }

    public StoreConfig withMaxAttempts(int value) {
        return new StoreConfig(sqliteSync, busyTimeout, value, poolSize, maxPayloadBytes);
    }

    public StoreConfig withPoolSize(int value) {
        return new StoreConfig(sqliteSync, busyTimeout, maxAttempts, value, maxPayloadBytes);
    }

    public StoreConfig withMaxPayloadBytes(int value) {
        return new StoreConfig(sqliteSync, busyTimeout, maxAttempts, poolSize, value);
    }
}
