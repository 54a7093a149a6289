package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.projection.EventLogFeed;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.projection.workload.TraceGenerator;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore drill: back up while another thread appends, restore into a fresh file, verify, compare. */
class BackupRestoreDrillTest {
    @TempDir
    Path dir;

    @Test
    void backupDuringAppendsRestoresToAVerifiedCopyOfTheLogAtTheBackupsLogSeq() throws Exception {
        Path src = dir.resolve("src.db");
        assertThat(CliRun.dg("import", src.toString(), GoldenFiles.bundle().toString(), "--quiet").exitCode()).isZero();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appended = new AtomicLong();
        Thread appender;
        try (Database db = Database.sqlite(src)) {
            EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
            TraceGenerator gen = new TraceGenerator(TraceGenerator.Config.realistic(7, 5_000));
            appender = Thread.ofPlatform().start(() -> {
                while (!stop.get() && gen.hasNext()) {
                    List<EventEnvelope> batch = new ArrayList<>();
                    for (int i = 0; i < 50 && gen.hasNext(); i++) {
                        batch.add(gen.next());
                    }
                    log.appendBatch(null, batch);
                    appended.addAndGet(batch.size());
                }
            });
            while (appended.get() < 500) {
                Thread.sleep(5);
            }
            Path backup = dir.resolve("backup.db");
            CliRun b = CliRun.dg("backup", src.toString(), "--out", backup.toString());
            long afterBackup = appended.get();
            Thread.sleep(50);
            stop.set(true);
            appender.join();
            assertThat(b.exitCode()).as(b.err()).isZero();
            long n = ((JsonInt) ((JsonObject) JsonParser.parse(b.out())).getObject("last_log_seq").get("default")).longValue();
            assertThat(n).isGreaterThan(40 + 500 - 1);
            assertThat(log.lastLogSeq(null)).isGreaterThan(n);
            assertThat(afterBackup).isPositive();

            Path restored = dir.resolve("restored/events.db");
            CliRun r = CliRun.dg("restore", backup.toString(), restored.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"default\": " + n);
            CliRun again = CliRun.dg("restore", backup.toString(), restored.toString());
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("already exists");

            CliRun verify = CliRun.dg("verify", restored.toString());
            assertThat(verify.exitCode()).as(verify.out()).isZero();

            // the source's digests at log_seq n, projected in memory from the source log
            InMemoryReadModelStore memory = new InMemoryReadModelStore(EventLog.DEFAULT_TENANT);
            Projector projector = new Projector(memory, new EventLogFeed(log, EventLog.DEFAULT_TENANT));
            for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
                projector.catchUp(p, 1000, n);
            }
            ProjectionDigests expected = Digests.compute(memory);
            String sourceChainAtN = AuditChain.of(db).storedChainAt(null, n);
            try (Database copy = Database.sqlite(restored)) {
                Projections p = Projections.open(copy, null, Clock.systemUTC());
                assertThat(p.eventLog().lastLogSeq(null)).isEqualTo(n);
                p.rebuild();
                assertThat(p.digests()).isEqualTo(expected);
                AuditChain.Report chain = AuditChain.of(copy).verify(null, null);
                assertThat(chain.ok()).isTrue();
                assertThat(chain.head()).isEqualTo(sourceChainAtN);
            }
        }
        assertThat(Files.exists(dir.resolve("backup.db"))).isTrue();
    }

    @Test
    void backupRefusesToOverwriteAndReportsAnUnreachablePostgres() throws Exception {
        Path src = dir.resolve("a.db");
        assertThat(CliRun.dg("import", src.toString(), GoldenFiles.bundle().toString(), "--quiet").exitCode()).isZero();
        Files.writeString(dir.resolve("exists.db"), "x");
        CliRun b = CliRun.dg("backup", src.toString(), "--out", dir.resolve("exists.db").toString());
        assertThat(b.exitCode()).isEqualTo(1);
        assertThat(b.err()).contains("already exists");
        CliRun pg = CliRun.dg("backup", "jdbc:postgresql://localhost:1/x", "--out", dir.resolve("p.db").toString());
        assertThat(pg.exitCode()).isEqualTo(1);
        assertThat(pg.err()).contains("backup of 'jdbc:postgresql://localhost:1/x' failed");
    }
}
