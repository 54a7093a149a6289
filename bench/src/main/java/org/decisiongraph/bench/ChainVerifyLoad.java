package org.decisiongraph.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.ChainHash;
import org.decisiongraph.store.log.EventLog;

/**
 * Load driver for offline chain verification on one SQLite file: creates it with N events of the seeded realistic
 * workload when it does not exist (batches of 1000 through the full pipeline), then times, alternating, R rounds of
 * (a) {@link AuditChain#verify} (column pages read ahead, links checked in parallel) and (b) the previous method:
 * {@link AuditChain#links} per page of 10,000 (stored events, event hashes per page on all cores) folded in order.
 * Prints Markdown table rows: wall time and the process's CPU time (all threads) per method. The CPU time is the
 * better measure on a shared machine: wall time on an idle 2-core machine is at least CPU time / 2.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.decisiongraph.bench.ChainVerifyLoad <file.db> <events> [rounds] [both|new]}
 */
public final class ChainVerifyLoad {
    private ChainVerifyLoad() {
    }

    /** CPU time of the whole process (all threads), nanoseconds. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String which = args.length > 3 ? args[3] : "both";
        boolean fresh = !Files.exists(file);
        try (Database db = Database.sqlite(file)) {
            EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, Clock.systemUTC());
            if (fresh) {
                long t0 = System.nanoTime();
                RealisticAppend.append(log, events);
                System.out.printf(Locale.ROOT, "# created %s: %,d events in %.1f s%n", file, log.lastLogSeq(null),
                        (System.nanoTime() - t0) / 1e9);
            }
            long n = log.lastLogSeq(null);
            AuditChain chain = AuditChain.of(db);
            for (int round = 1; round <= rounds; round++) {
                long c0 = cpu();
                long v0 = System.nanoTime();
                AuditChain.Report report = chain.verify(null, null);
                double verifyS = (System.nanoTime() - v0) / 1e9;
                double verifyCpu = (cpu() - c0) / 1e9;
                if (!report.ok() || report.checked() != n) {
                    throw new IllegalStateException("chain mismatch: " + report);
                }
                if (which.equals("new")) {
                    System.out.printf(Locale.ROOT, "| sqlite | %,d | round %d | %.2f s, %.1f CPU-s | – |%n", n, round,
                            verifyS, verifyCpu);
                    continue;
                }
                long c1 = cpu();
                long o0 = System.nanoTime();
                String prev = ChainHash.GENESIS;
                for (long from = 1; from <= n; from += 10_000) {
                    for (AuditChain.ChainedEvent c : chain.links(null, from, Math.min(n, from + 9_999))) {
                        prev = ChainHash.link(prev, c.eventHash());
                        if (!prev.equals(c.chainHash())) {
                            throw new IllegalStateException("old path: chain mismatch at " + c.event().logSeq());
                        }
                    }
                }
                double oldS = (System.nanoTime() - o0) / 1e9;
                double oldCpu = (cpu() - c1) / 1e9;
                if (!prev.equals(report.head())) {
                    throw new IllegalStateException("heads differ");
                }
                System.out.printf(Locale.ROOT, "| sqlite | %,d | round %d | %.2f s, %.1f CPU-s | %.2f s, %.1f CPU-s |%n",
                        n, round, verifyS, verifyCpu, oldS, oldCpu);
            }
        }
    }
}
