package org.decisiongraph.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.ChainHash;
import org.decisiongraph.store.log.EventLog;

/**
 * Load driver for the audit chain: appends N events of the realistic workload (batches of 1000), then
 * measures the chain's share of the append (the event hash and link recomputed over the same stored
 * events, single-threaded, after warm-up) and the time to recompute the whole chain from the database
 * ({@link AuditChain#verify}). Prints Markdown table rows.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.decisiongraph.bench.AuditChainLoad <sqlite|postgres> <events>}
 */
public final class AuditChainLoad {
    private AuditChainLoad() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        int events = Integer.parseInt(args[1]);
        EmbeddedPostgres pg = null;
        Database db;
        if (backend.equals("postgres")) {
            pg = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE bench");
            }
            db = Database.postgres("jdbc:postgresql://localhost:" + pg.getPort() + "/bench?user=postgres", null, null,
                    StoreConfig.DEFAULTS.withPoolSize(4));
        } else {
            Path file = Scratch.dir("dg-bench-").resolve("bench.db");
            db = Database.sqlite(file);
        }
        try {
            run(backend, db, events);
        } finally {
            db.close();
            if (pg != null) {
                pg.close();
            }
        }
    }

    private static void run(String backend, Database db, int events) {
        EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, Clock.systemUTC());
        long t0 = System.nanoTime();
        RealisticAppend.append(log, events);
        double appendS = (System.nanoTime() - t0) / 1e9;
        long n = log.lastLogSeq(null);
        row(backend, n, "append incl. chain (pipeline, batches of 1000)", "%.1f s", appendS,
                String.format(Locale.ROOT, "%,.0f events/s", n / appendS));

        // the chain's own cost on the append path: event hash + link for the same events, sequentially
        List<StoredEvent> stored = new ArrayList<>((int) n);
        for (List<StoredEvent> page : log.batches(null, 0, null, 10_000)) {
            stored.addAll(page);
        }
        String sink = ChainHash.GENESIS;
        for (int round = 0; round < 3; round++) {
            sink = ChainHash.GENESIS;
            for (StoredEvent e : stored) {
                sink = ChainHash.next(sink, e);
            }
        }
        long c0 = System.nanoTime();
        String prev = ChainHash.GENESIS;
        for (StoredEvent e : stored) {
            prev = ChainHash.next(prev, e);
        }
        double chainS = (System.nanoTime() - c0) / 1e9;
        row(backend, n, "chain hashing alone (event hash + link, 1 thread)", "%.2f s", chainS,
                String.format(Locale.ROOT, "%.2f us/event = %.1f %% of the append time", chainS * 1e6 / n,
                        100 * chainS / appendS));

        AuditChain chain = AuditChain.of(db);
        long v0 = System.nanoTime();
        AuditChain.Report report = chain.verify(null, null);
        double verifyS = (System.nanoTime() - v0) / 1e9;
        if (!report.ok() || !report.head().equals(prev) || !sink.equals(prev)) {
            throw new IllegalStateException("chain mismatch: " + report);
        }
        row(backend, n, "recompute the chain from the database (AuditChain.verify)", "%.2f s", verifyS,
                String.format(Locale.ROOT, "%,.0f events/s", n / verifyS));
    }

    private static void row(String backend, long n, String what, String fmt, double value, String notes) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %s | " + fmt + " | %s |%n", backend, n, what, value, notes);
    }
}
