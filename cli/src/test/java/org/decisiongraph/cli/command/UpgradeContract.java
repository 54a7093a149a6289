package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.migrate.Migrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import java.time.Clock;

/**
 * Upgrades from every earlier schema version WITH data: for each version k below the newest (discovered from the
 * dialect's migration folder, so new migrations are covered without editing this test), a fresh database is
 * migrated to k (Flyway target), filled with the rows of a representative database (the golden fixtures imported
 * and projected, a service account, the release demo with its review items) restricted to the tables and columns that exist at k, then migrated to the
 * newest version with {@code dg migrate}. The copied rows must be intact, {@code dg verify} clean (the audit chain
 * back-filled when k predates it) and the digests of a replay equal to the golden ones. Also: a schema newer than
 * the build is refused by {@code dg serve}.
 */
abstract class UpgradeContract {
    static final String TENANT = "t1";

    @TempDir
    Path dir;
    private static final Pattern VERSION = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*\\.sql");

    abstract Dialect dialect();

    abstract String newDatabase();

    abstract DataSource dataSource(String db);

    /** Versions in the dialect's migration folder on the classpath, oldest first. */
    List<String> versions() throws IOException {
        String folder = dialect().migrationLocation();
        URL url = Migrations.class.getClassLoader().getResource(folder);
        assertThat(url).as("migration folder " + folder).isNotNull();
        TreeSet<List<Long>> found = new TreeSet<>(UpgradeContract::compare);
        URI uri;
        try {
            uri = url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of()); Stream<Path> files = Files.list(fs.getPath(folder))) {
                files.forEach(p -> add(found, p.getFileName().toString()));
            }
        } else {
            try (Stream<Path> files = Files.list(Path.of(uri))) {
                files.forEach(p -> add(found, p.getFileName().toString()));
            }
        }
        return found.stream().map(v -> String.join(".", v.stream().map(String::valueOf).toList())).toList();
    }

    private static void add(TreeSet<List<Long>> out, String name) {
        Matcher m = VERSION.matcher(name);
        if (m.matches()) {
            out.add(Stream.of(m.group(1).split("[._]")).map(Long::parseLong).toList());
        }
    }

    private static int compare(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            long x = i < a.size() ? a.get(i) : 0;
            long y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        return 0;
    }

    @Test
    void everyEarlierSchemaVersionWithDataUpgradesToTheNewest() throws Exception {
        List<String> versions = versions();
        assertThat(versions).contains("1", "6");
        String latest = versions.getLast();
        JsonObject golden = ((JsonObject) JsonParser.parse(Files.readString(
                GoldenFiles.bundle().resolveSibling("vectors-projections.json")))).getObject("combined_all_scenarios")
                .getObject("digests");

        // the representative database at the newest version
        String source = newDatabase();
        assertThat(CliRun.dg("import", source, GoldenFiles.bundle().toString(), "--tenant", TENANT, "--quiet").exitCode()).isZero();
        assertThat(CliRun.dg("accounts", "create", source, "--id", "ops", "--role", "admin", "--tenant", TENANT).exitCode()).isZero();
        // the release demo in its own tenant, with its review items, actions and notifications
        Path demo = dir.resolve("release-demo.jsonl");
        Files.writeString(demo, String.join("\n", ReleaseValidation.demoEvents().stream().map(JsonWriter::canonical).toList()) + "\n");
        CliRun demoImport = CliRun.dg("import", source, demo.toString(), "--tenant", "release-demo", "--quiet");
        assertThat(demoImport.exitCode()).as(demoImport.err()).isZero();
        try (Database d = Database.open(DbLocation.parse(source, null, null), StoreConfig.DEFAULTS);
             Workflows wf = new Workflows(d, EventLog.open(d, EventTypeSet.PLATFORM, Clock.systemUTC()), Clock.systemUTC(),
                     WorkflowConfig.DEFAULTS)) {
            wf.catchUp("release-demo");
        }
        try (Connection c = dataSource(source).getConnection()) {
            assertThat(count(c, "dg_workflow_items")).isEqualTo(4);
            assertThat(count(c, "dg_workflow_actions")).isPositive();
        }

        for (String k : versions.subList(0, versions.size() - 1)) {
            String target = newDatabase();
            DataSource ds = dataSource(target);
            Migrations.Result atK = Migrations.run(ds, dialect(), k);
            assertThat(atK.schemaVersion()).as("migrated to the target version").isEqualTo(k);

            Map<String, List<String>> copied = new LinkedHashMap<>();
            try (Connection from = dataSource(source).getConnection(); Connection to = ds.getConnection()) {
                Map<String, List<String>> atVersion = columns(to);
                Map<String, List<String>> newest = columns(from);
                assertThat(atVersion).containsKey("dg_event_log");
                for (var e : atVersion.entrySet()) {
                    List<String> cols = new ArrayList<>(e.getValue());
                    cols.retainAll(newest.getOrDefault(e.getKey(), List.of()));
                    if (!cols.isEmpty()) {
                        copy(from, to, e.getKey(), cols);
                        copied.put(e.getKey(), cols);
                    }
                }
                assertThat(count(to, "dg_event_log")).isEqualTo(count(from, "dg_event_log")).isPositive();
            }

            CliRun migrate = CliRun.dg("migrate", target);
            assertThat(migrate.exitCode()).as("upgrade from " + k + ": " + migrate.err()).isZero();
            JsonObject m = (JsonObject) JsonParser.parse(migrate.out());
            assertThat(m.getString("schema_version")).isEqualTo(latest);
            assertThat(m.getArray("applied").items()).as("applied after " + k)
                    .isEqualTo(Json.strings(versions.subList(versions.indexOf(k) + 1, versions.size())).items());

            // every copied row is intact after the upgrade
            try (Connection from = dataSource(source).getConnection(); Connection to = ds.getConnection()) {
                for (var e : copied.entrySet()) {
                    assertThat(rows(to, e.getKey(), e.getValue())).as("table " + e.getKey() + " after upgrading from " + k)
                            .isEqualTo(rows(from, e.getKey(), e.getValue()));
                }
            }

            CliRun verify = CliRun.dg("verify", target, "--tenant", TENANT);
            assertThat(verify.exitCode()).as("verify after upgrading from " + k + ": " + verify.out() + verify.err()).isZero();
            CliRun replay = CliRun.dg("replay", target, "--tenant", TENANT);
            assertThat(replay.exitCode()).isZero();
            assertThat(replay.out()).as("digests after upgrading from " + k).isEqualTo("Projection digests after replay:\n"
                    + "  context_graph: " + golden.getString("context_graph") + "\n"
                    + "  full_projection: " + golden.getString("full_projection") + "\n"
                    + "  precedent_index: " + golden.getString("precedent_index") + "\n"
                    + "  trace_summary: " + golden.getString("trace_summary") + "\n");
        }
    }

    @Test
    void serveRefusesASchemaNewerThanTheBuild() throws Exception {
        String db = newDatabase();
        assertThat(CliRun.dg("migrate", db).exitCode()).isZero();
        try (Connection c = dataSource(db).getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                    + " installed_by, installed_on, execution_time, success) VALUES (999, '999', 'from the future', 'SQL',"
                    + " 'V999__from_the_future.sql', 0, 'test', CURRENT_TIMESTAMP, 1, " + (dialect() == Dialect.POSTGRES ? "true" : "1") + ")");
        }
        CliRun serve = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.dg("serve", "--db", db, "--port", "0"));
        assertThat(serve.exitCode()).isEqualTo(1);
        assertThat(serve.err()).contains("the database schema is at version 999, newer than this build knows");
    }

    // --- JDBC helpers (test code: the product keeps its SQL in store) ----------------------------

    private Map<String, List<String>> columns(Connection c) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        DatabaseMetaData md = c.getMetaData();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = md.getTables(null, dialect() == Dialect.POSTGRES ? c.getSchema() : null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String t = rs.getString("TABLE_NAME");
                if (!t.startsWith("sqlite_") && !t.equals("flyway_schema_history")) {
                    tables.add(t);
                }
            }
        }
        Collections.sort(tables);
        for (String t : tables) {
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, dialect() == Dialect.POSTGRES ? c.getSchema() : null, t, "%")) {
                while (rs.next()) {
                    cols.add(rs.getString("COLUMN_NAME"));
                }
            }
            out.put(t, cols);
        }
        return out;
    }

    private void copy(Connection from, Connection to, String table, List<String> cols) throws SQLException {
        String list = String.join(", ", cols.stream().map(c -> "\"" + c + "\"").toList());
        // column order: (tenant_id, log_seq, ...) puts the event log in append order, as its triggers expect
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (int i = 1; i <= cols.size(); i++) {
            order.append(i == 1 ? "" : ", ").append(i);
        }
        to.setAutoCommit(false);
        if (dialect() == Dialect.POSTGRES) {
            try (Statement st = to.createStatement()) {
                // the test fills tables out of foreign-key order; the superuser test server allows skipping their triggers
                st.execute("SET LOCAL session_replication_role = replica");
            }
        }
        try (PreparedStatement read = from.prepareStatement("SELECT " + list + " FROM \"" + table + "\"" + order);
             PreparedStatement write = to.prepareStatement("INSERT INTO \"" + table + "\" (" + list + ") VALUES ("
                     + String.join(", ", Collections.nCopies(cols.size(), "?")) + ")");
             ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                for (int i = 1; i <= cols.size(); i++) {
                    write.setObject(i, rs.getObject(i));
                }
                write.addBatch();
            }
            write.executeBatch();
        }
        to.commit();
        to.setAutoCommit(true);
    }

    private static List<List<String>> rows(Connection c, String table, List<String> cols) throws SQLException {
        String list = String.join(", ", cols.stream().map(x -> "\"" + x + "\"").toList());
        List<List<String>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + list + " FROM \"" + table + "\"");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= cols.size(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        out.sort((a, b) -> String.join("\u0000", a.stream().map(String::valueOf).toList())
                .compareTo(String.join("\u0000", b.stream().map(String::valueOf).toList())));
        return out;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM \"" + table + "\""); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
