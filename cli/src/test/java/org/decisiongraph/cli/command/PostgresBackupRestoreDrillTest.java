package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Json;
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
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.backup.PostgresBackup;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Postgres restore drill: {@code dg backup} (one repeatable-read snapshot) while another thread appends, restore
 * into a fresh database, {@code dg verify} clean, the log, chain head and projection digests equal to the source's at
 * the backup's log_seq, and a backup of the restored database byte-identical table by table.
 */
class PostgresBackupRestoreDrillTest {
    @TempDir
    Path dir;

    @Test
    void backupDuringAppendsRestoresIntoAFreshDatabaseEqualToTheSnapshot() throws Exception {
        String src = TestDatabases.newPostgresUrl();
        CliRun imported = CliRun.dg("import", src, GoldenFiles.bundle().toString(), "--quiet");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(CliRun.dg("accounts", "create", src, "--id", "ops", "--role", "admin").exitCode()).isZero();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appended = new AtomicLong();
        Path backup = dir.resolve("backups/pg.dgbackup");
        try (Database db = Database.postgres(src, null, null, StoreConfig.DEFAULTS)) {
            EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
            Projections.open(db, null, Clock.systemUTC()).catchUp();
            TraceGenerator gen = new TraceGenerator(TraceGenerator.Config.realistic(11, 20_000));
            Thread appender = Thread.ofPlatform().start(() -> {
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
            CliRun b = CliRun.dg("backup", src, "--out", backup.toString());
            long duringBackup = appended.get();
            Thread.sleep(100);
            stop.set(true);
            appender.join();
            assertThat(b.exitCode()).as(b.err()).isZero();
            long n = ((JsonInt) ((JsonObject) JsonParser.parse(b.out())).getObject("last_log_seq").get("default")).longValue();
            assertThat(n).isGreaterThanOrEqualTo(40 + 500);
            assertThat(log.lastLogSeq(null)).as("appends went on after the snapshot").isGreaterThan(n);
            assertThat(duringBackup).isPositive();

            JsonObject manifest = PostgresBackup.manifest(backup);
            assertThat(manifest.getString("format")).isEqualTo("dg.pg-backup.v1");
            assertThat(rows(manifest, "dg_event_log")).isEqualTo(n);
            assertThat(rows(manifest, "dg_service_accounts")).isEqualTo(1);
            assertThat(rows(manifest, "dg_service_account_keys")).isEqualTo(1);
            assertThat(rows(manifest, "dg_trace_summary")).isPositive();

            String target = TestDatabases.newPostgresUrl();
            CliRun r = CliRun.dg("restore", backup.toString(), target);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"default\": " + n);

            CliRun verify = CliRun.dg("verify", target);
            assertThat(verify.exitCode()).as(verify.out()).isZero();

            // the source's digests and chain at log_seq n
            InMemoryReadModelStore memory = new InMemoryReadModelStore(EventLog.DEFAULT_TENANT);
            Projector projector = new Projector(memory, new EventLogFeed(log, EventLog.DEFAULT_TENANT));
            for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
                projector.catchUp(p, 1000, n);
            }
            ProjectionDigests expected = Digests.compute(memory);
            String sourceChainAtN = AuditChain.of(db).storedChainAt(null, n);
            try (Database copy = Database.postgres(target, null, null, StoreConfig.DEFAULTS)) {
                Projections p = Projections.open(copy, null, Clock.systemUTC());
                assertThat(p.eventLog().lastLogSeq(null)).isEqualTo(n);
                p.catchUp();
                assertThat(p.digests()).isEqualTo(expected);
                AuditChain.Report chain = AuditChain.of(copy).verify(null, null);
                assertThat(chain.ok()).isTrue();
                assertThat(chain.head()).isEqualTo(sourceChainAtN);
            }
            // a restored database accepts appends again (identity sequences and triggers in place)
            assertThat(CliRun.dg("accounts", "create", target, "--id", "ops-2", "--role", "reader").exitCode()).isZero();

            // restoring over a database that has data is refused, and nothing is written
            CliRun again = CliRun.dg("restore", backup.toString(), target);
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("not empty");
        }
    }

    @Test
    void aSecondBackupOfTheRestoredDatabaseIsIdenticalTableByTable() throws Exception {
        String src = TestDatabases.newPostgresUrl();
        assertThat(CliRun.dg("import", src, GoldenFiles.bundle().toString(), "--quiet").exitCode()).isZero();
        Path first = dir.resolve("first.zip");
        assertThat(CliRun.dg("backup", src, "--out", first.toString()).exitCode()).isZero();
        String target = TestDatabases.newPostgresUrl();
        assertThat(CliRun.dg("restore", first.toString(), target).exitCode()).isZero();
        Path second = dir.resolve("second.zip");
        assertThat(CliRun.dg("backup", target, "--out", second.toString()).exitCode()).isZero();
        Map<String, String> a = digests(PostgresBackup.manifest(first));
        Map<String, String> b = digests(PostgresBackup.manifest(second));
        assertThat(a).containsKeys("dg_event_log", "dg_cg_nodes", "dg_projection_cursors", "dg_projection_digests");
        assertThat(b).isEqualTo(a);
        // never over an existing file
        CliRun exists = CliRun.dg("backup", src, "--out", first.toString());
        assertThat(exists.exitCode()).isEqualTo(1);
        assertThat(exists.err()).contains("already exists");
    }

    @Test
    void aDamagedBackupIsRefusedBeforeAnythingIsWritten() throws Exception {
        String src = TestDatabases.newPostgresUrl();
        assertThat(CliRun.dg("import", src, GoldenFiles.bundle().toString(), "--quiet").exitCode()).isZero();
        Path good = dir.resolve("good.zip");
        assertThat(CliRun.dg("backup", src, "--out", good.toString()).exitCode()).isZero();
        // drop the last line of the event log file, keep the manifest
        Path bad = dir.resolve("bad.zip");
        try (ZipFile in = new ZipFile(good.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bad))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                if (e.getName().equals("tables/dg_event_log.jsonl")) {
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    text = text.substring(0, text.lastIndexOf('\n', text.length() - 2) + 1);
                    bytes = text.getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        String target = TestDatabases.newPostgresUrl();
        CliRun r = CliRun.dg("restore", bad.toString(), target);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("table dg_event_log of the backup is damaged");
        // the target was not touched: a good restore still works
        CliRun ok = CliRun.dg("restore", good.toString(), target);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        // and a SQLite target refuses a Postgres backup
        CliRun sqlite = CliRun.dg("restore", good.toString(), dir.resolve("x.db").toString());
        assertThat(sqlite.exitCode()).isEqualTo(1);
        assertThat(sqlite.err()).contains("is a Postgres backup");
    }

    @Test
    void aBackupOfAnOlderSchemaRestoresAndIsUpgraded() throws Exception {
        // a database of an older build: schema version 5 (before the audit chain), with rows
        String old = TestDatabases.newPostgresUrl();
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(old);
        org.decisiongraph.store.migrate.Migrations.run(ds, org.decisiongraph.store.Dialect.POSTGRES, "5");
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO dg_tenants (tenant_id, display_name, origin, created_at, created_by)"
                    + " VALUES ('acme', 'Acme', 'api', now(), 'test')");
        }
        Path backup = dir.resolve("v5.zip");
        CliRun b = CliRun.dg("backup", old, "--out", backup.toString());
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(PostgresBackup.manifest(backup).getString("schema_version")).isEqualTo("5");

        // a database this build already migrated is refused (the backup's schema is older)
        String migrated = TestDatabases.newPostgresUrl();
        assertThat(CliRun.dg("migrate", migrated).exitCode()).isZero();
        CliRun refused = CliRun.dg("restore", backup.toString(), migrated);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("newer than the backup's 5");

        // a new database: migrated to 5, loaded, then upgraded to this build's newest version
        String target = TestDatabases.newPostgresUrl();
        CliRun r = CliRun.dg("restore", backup.toString(), target);
        assertThat(r.exitCode()).as(r.err()).isZero();
        CliRun again = CliRun.dg("migrate", target);
        assertThat(((JsonObject) JsonParser.parse(again.out())).getArray("applied").isEmpty()).isTrue();
        assertThat(CliRun.dg("verify", target).exitCode()).isZero();
        Path second = dir.resolve("upgraded.zip");
        assertThat(CliRun.dg("backup", target, "--out", second.toString()).exitCode()).isZero();
        assertThat(rows(PostgresBackup.manifest(second), "dg_tenants")).isEqualTo(1);
    }

    private static long rows(JsonObject manifest, String table) {
        for (Json t : manifest.getArray("tables")) {
            if (table.equals(((JsonObject) t).getString("name"))) {
                return ((JsonInt) ((JsonObject) t).get("rows")).longValue();
            }
        }
        throw new AssertionError("no table " + table);
    }

    private static Map<String, String> digests(JsonObject manifest) {
        Map<String, String> out = new HashMap<>();
        for (Json t : manifest.getArray("tables")) {
            out.put(((JsonObject) t).getString("name"), ((JsonObject) t).getString("sha256"));
        }
        return out;
    }
}
