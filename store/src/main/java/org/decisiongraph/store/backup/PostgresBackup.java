package org.decisiongraph.store.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.CodePointOrder;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.migrate.Migrations;

/**
 * Logical backup and restore of a Postgres database (format {@code dg.pg-backup.v1}): a zip holding
 * {@code manifest.json} and one {@code tables/<table>.jsonl} per DecisionGraph table (every table of the schema but
 * Flyway's history). The backup reads every table inside ONE {@code REPEATABLE READ READ ONLY} transaction, so it is
 * the database at one snapshot: appends running meanwhile are wholly in it or not at all, and nothing is blocked.
 * Each line is a JSON array of the row's values in Postgres text form (or null), rows in primary-key order; the
 * manifest records the schema version, the columns and their types, and per table the row count and the SHA-256 of
 * its file.
 *
 * <p>Restore loads into an empty database: it migrates the target to the backup's schema version, checks that
 * every table is empty, verifies the counts and digests of the file, inserts every table in one transaction
 * (referenced tables first; values cast back with their column types; identity sequences moved past the loaded
 * ids), then opens the database normally (the remaining migrations and the audit chain back-fill) and checks the
 * row counts against the manifest.
 */
public final class PostgresBackup {
    public static final String FORMAT = "dg.pg-backup.v1";
    private static final String MANIFEST = "manifest.json";
    private static final int BATCH = 500;

    private PostgresBackup() {
    }

    /** What a backup or restore produced: the manifest and each tenant's last log_seq. */
    public record Result(JsonObject manifest, Map<String, Long> lastLogSeq) {
    }

    /** One table of the manifest. */
    private record Table(String name, List<String> columns, List<String> types, long rows, String sha256) {
    }

    // --- backup -----------------------------------------------------------------------------------

    public static Result backup(DbLocation.PostgresUrl db, Path out, Clock clock, String releaseVersion) {
        Path dst = out.toAbsolutePath();
        if (Files.exists(dst)) {
            throw DgErrors.invalidArgument("'" + out + "' already exists; a backup never overwrites a file");
        }
        Path tmp = dst.resolveSibling(dst.getFileName() + ".partial");
        try {
            if (dst.getParent() != null) {
                Files.createDirectories(dst.getParent());
            }
            JsonObject manifest;
            try (Connection c = connect(db);
                 OutputStream file = Files.newOutputStream(tmp);
                 ZipOutputStream zip = new ZipOutputStream(file, StandardCharsets.UTF_8)) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL TimeZone = 'UTC'");
                    st.execute("SET LOCAL DateStyle = 'ISO, YMD'");
                    st.execute("SET LOCAL bytea_output = 'hex'");
                    st.execute("SET LOCAL extra_float_digits = 3");
                }
                String version = schemaVersion(c);
                if (version == null) {
                    throw DgErrors.invalidArgument("'" + db + "' has no DecisionGraph schema (run dg migrate first)");
                }
                List<Table> tables = new ArrayList<>();
                for (String name : tableNames(c)) {
                    tables.add(dumpTable(c, name, zip));
                }
                Map<String, Long> heads = heads(c);
                c.commit();
                manifest = manifest(clock, releaseVersion, db.toString(), version, tables, heads);
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write((JsonWriter.pretty(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
            return new Result(manifest, lastLogSeq(manifest));
        } catch (SQLException e) {
            throw DgErrors.storage("backup of '" + db + "' failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw DgErrors.storage("backup into '" + out + "' failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static Table dumpTable(Connection c, String name, ZipOutputStream zip) throws SQLException, IOException {
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod)
                FROM pg_attribute a
                WHERE a.attrelid = to_regclass(quote_ident(?)) AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attgenerated = ''
                ORDER BY a.attnum""")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    types.add(rs.getString(2));
                }
            }
        }
        List<String> order = primaryKey(c, name);
        if (order.isEmpty()) {
            order = columns;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i))).append("::text");
        }
        // qualified: a bare name in ORDER BY would sort by the ::text output column of the same name
        sql.append(" FROM ").append(quote(name)).append(" AS src ORDER BY ");
        for (int i = 0; i < order.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("src.").append(quote(order.get(i)));
        }
        MessageDigest sha = sha256();
        long rows = 0;
        zip.putNextEntry(new ZipEntry("tables/" + name + ".jsonl"));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                List<Json> values = new ArrayList<>(columns.size());
                while (rs.next()) {
                    values.clear();
                    for (int i = 1; i <= columns.size(); i++) {
                        values.add(Json.ofNullable(rs.getString(i)));
                    }
                    byte[] line = (JsonWriter.canonical(Json.array(values)) + "\n").getBytes(StandardCharsets.UTF_8);
                    sha.update(line);
                    zip.write(line);
                    rows++;
                }
            }
        }
        zip.closeEntry();
        return new Table(name, columns, types, rows, "sha256:" + HexFormat.of().formatHex(sha.digest()));
    }

    private static JsonObject manifest(Clock clock, String releaseVersion, String database, String version,
                                       List<Table> tables, Map<String, Long> heads) {
        List<Json> t = new ArrayList<>();
        for (Table table : tables) {
            List<Json> cols = new ArrayList<>();
            for (int i = 0; i < table.columns().size(); i++) {
                cols.add(JsonObject.builder().put("name", table.columns().get(i)).put("type", table.types().get(i)).build());
            }
            t.add(JsonObject.builder().put("name", table.name()).put("columns", Json.array(cols)).put("rows", table.rows())
                    .put("sha256", table.sha256()).build());
        }
        JsonObject.Builder h = JsonObject.builder();
        heads.forEach(h::put);
        return JsonObject.builder()
                .put("format", FORMAT)
                .put("created_at", Timestamps.toRfc3339(clock.instant()))
                .put("release_version", Json.ofNullable(releaseVersion))
                .put("dialect", "postgres")
                .put("database", database)
                .put("backup_kind", "logical")
                .put("isolation", "repeatable read, read only (one snapshot)")
                .put("schema_version", version)
                .put("last_log_seq", h.build())
                .put("tables", Json.array(t))
                .build();
    }

    // --- restore ----------------------------------------------------------------------------------

    public static Result restore(Path backup, DbLocation.PostgresUrl target) {
        if (!Files.isRegularFile(backup)) {
            throw DgErrors.invalidArgument("Backup file '" + backup + "' not found");
        }
        try (ZipFile zip = new ZipFile(backup.toFile(), StandardCharsets.UTF_8)) {
            JsonObject manifest = readManifest(zip, backup);
            List<Table> tables = tables(manifest);
            for (Table t : tables) {
                verifyEntry(zip, t);
            }
            String version = manifest.getString("schema_version");
            try (HikariDataSource ds = dataSource(target)) {
                try (Connection c = ds.getConnection()) {
                    String current = schemaVersion(c);
                    if (current != null && compareVersions(current, version) > 0) {
                        throw DgErrors.invalidArgument("the target database is at schema version " + current
                                + ", newer than the backup's " + version + "; restore into a new database without the"
                                + " DecisionGraph schema (do not run dg migrate on it first)");
                    }
                }
                Migrations.run(ds, Dialect.POSTGRES, version);
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    Set<String> present = new LinkedHashSet<>(tableNames(c));
                    for (String name : present) {
                        if (hasRows(c, name)) {
                            throw DgErrors.invalidArgument("the target database is not empty (table " + name
                                    + " has rows); restore into an empty database");
                        }
                    }
                    for (Table t : tables) {
                        if (!present.contains(t.name())) {
                            throw DgErrors.invalidArgument("table " + t.name() + " of the backup does not exist at schema version "
                                    + version);
                        }
                    }
                    for (String name : referencedFirst(c, tables.stream().map(Table::name).toList())) {
                        Table t = tables.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                        load(c, zip, t);
                    }
                    c.commit();
                }
            }
            // the remaining migrations and the chain back-fill, as every writable open does
            Map<String, Long> counts = new TreeMap<>(CodePointOrder.INSTANCE);
            Map<String, Long> heads;
            try (Database db = Database.postgres(target.url(), target.user(), target.password(), StoreConfig.DEFAULTS);
                 Connection c = connect(target)) {
                for (Table t : tables) {
                    counts.put(t.name(), count(c, t.name()));
                }
                heads = heads(c);
            }
            for (Table t : tables) {
                if (counts.get(t.name()) != t.rows()) {
                    throw DgErrors.storage("restore check failed: table " + t.name() + " has " + counts.get(t.name())
                            + " rows, the backup " + t.rows(), null);
                }
            }
            if (!heads.equals(lastLogSeq(manifest))) {
                throw DgErrors.storage("restore check failed: last log_seq per tenant " + heads + " differs from the backup's "
                        + lastLogSeq(manifest), null);
            }
            return new Result(manifest, heads);
        } catch (SQLException e) {
            throw DgErrors.storage("restore into '" + target + "' failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw DgErrors.invalidArgument("'" + backup + "' is not a readable dg backup: " + e.getMessage());
        }
    }

    /** Reads and checks a backup's manifest without touching any database. */
    public static JsonObject manifest(Path backup) {
        try (ZipFile zip = new ZipFile(backup.toFile(), StandardCharsets.UTF_8)) {
            return readManifest(zip, backup);
        } catch (IOException e) {
            throw DgErrors.invalidArgument("'" + backup + "' is not a readable dg backup: " + e.getMessage());
        }
    }

    /** Whether a file is a Postgres logical backup (a zip); SQLite backups are database files. */
    public static boolean isPostgresBackup(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonObject readManifest(ZipFile zip, Path backup) throws IOException {
        ZipEntry e = zip.getEntry(MANIFEST);
        if (e == null) {
            throw DgErrors.invalidArgument("'" + backup + "' is not a dg backup (no " + MANIFEST + ")");
        }
        JsonObject m;
        try (InputStream in = zip.getInputStream(e)) {
            m = JsonParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)) instanceof JsonObject o ? o : null;
        } catch (RuntimeException bad) {
            m = null;
        }
        if (m == null || !FORMAT.equals(m.getString("format"))) {
            throw DgErrors.invalidArgument("'" + backup + "' is not a " + FORMAT + " backup");
        }
        return m;
    }

    private static List<Table> tables(JsonObject manifest) {
        List<Table> out = new ArrayList<>();
        for (Json j : manifest.getArray("tables")) {
            JsonObject t = (JsonObject) j;
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (Json c : t.getArray("columns")) {
                columns.add(((JsonObject) c).getString("name"));
                types.add(((JsonObject) c).getString("type"));
            }
            out.add(new Table(t.getString("name"), columns, types, ((JsonInt) t.get("rows")).longValue(), t.getString("sha256")));
        }
        return out;
    }

    private static void verifyEntry(ZipFile zip, Table t) throws IOException {
        ZipEntry e = zip.getEntry("tables/" + t.name() + ".jsonl");
        if (e == null) {
            throw DgErrors.invalidArgument("the backup has no file for table " + t.name());
        }
        MessageDigest sha = sha256();
        long lines = 0;
        try (InputStream in = new DigestInputStream(zip.getInputStream(e), sha)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (!digest.equals(t.sha256()) || lines != t.rows()) {
            throw DgErrors.invalidArgument("table " + t.name() + " of the backup is damaged: " + lines + " rows with "
                    + digest + ", the manifest says " + t.rows() + " rows with " + t.sha256());
        }
    }

    private static void load(Connection c, ZipFile zip, Table t) throws SQLException, IOException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(quote(t.name())).append(" (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < t.columns().size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quote(t.columns().get(i)));
            values.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(t.types().get(i)).append(")");
        }
        sql.append(") OVERRIDING SYSTEM VALUE VALUES (").append(values).append(")");
        try (PreparedStatement ps = c.prepareStatement(sql.toString());
             BufferedReader r = new BufferedReader(new InputStreamReader(
                     zip.getInputStream(zip.getEntry("tables/" + t.name() + ".jsonl")), StandardCharsets.UTF_8))) {
            String line;
            int pending = 0;
            while ((line = r.readLine()) != null) {
                JsonArray row = (JsonArray) JsonParser.parse(line);
                for (int i = 0; i < t.columns().size(); i++) {
                    Json v = row.get(i);
                    ps.setString(i + 1, v instanceof JsonNull ? null : ((JsonString) v).value());
                }
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
        // identity and serial columns continue after the loaded ids
        for (String col : t.columns()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
                ps.setString(1, quote(t.name()));
                ps.setString(2, col);
                try (ResultSet rs = ps.executeQuery()) {
                    String seq = rs.next() ? rs.getString(1) : null;
                    if (seq != null) {
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT setval('" + seq.replace("'", "''") + "', COALESCE((SELECT MAX(" + quote(col)
                                    + ") FROM " + quote(t.name()) + "), 0) + 1, false)");
                        }
                    }
                }
            }
        }
    }

    // --- catalog helpers --------------------------------------------------------------------------

    private static List<String> tableNames(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                  AND table_name <> 'flyway_schema_history'
                ORDER BY table_name COLLATE "C\"""")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<String> primaryKey(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname
                FROM pg_index i
                JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = to_regclass(quote_ident(?)) AND i.indisprimary
                ORDER BY k.ord""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The tables in an order where every table comes after the tables its foreign keys reference. */
    private static List<String> referencedFirst(Connection c, List<String> tables) throws SQLException {
        Map<String, Set<String>> refs = new LinkedHashMap<>();
        for (String t : tables) {
            refs.put(t, new LinkedHashSet<>());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
                WHERE contype = 'f' AND connamespace = current_schema()::regnamespace""")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = unquote(rs.getString(1));
                    String to = unquote(rs.getString(2));
                    if (refs.containsKey(from) && !from.equals(to)) {
                        refs.get(from).add(to);
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (out.size() < tables.size()) {
            boolean progress = false;
            for (String t : tables) {
                if (!done.contains(t) && done.containsAll(refs.get(t).stream().filter(refs::containsKey).toList())) {
                    out.add(t);
                    done.add(t);
                    progress = true;
                }
            }
            if (!progress) {
                throw DgErrors.storage("foreign keys between the backup's tables form a cycle", null);
            }
        }
        return out;
    }

    private static String schemaVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        String best = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    if (best == null || compareVersions(v, best) > 0) {
                        best = v;
                    }
                }
            }
        }
        return best;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static Map<String, Long> heads(Connection c) throws SQLException {
        Map<String, Long> out = new TreeMap<>(CodePointOrder.INSTANCE);
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, MAX(log_seq) FROM dg_event_log GROUP BY tenant_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static Map<String, Long> lastLogSeq(JsonObject manifest) {
        Map<String, Long> out = new TreeMap<>(CodePointOrder.INSTANCE);
        manifest.getObject("last_log_seq").members().forEach((k, v) -> out.put(k, ((JsonInt) v).longValue()));
        return out;
    }

    private static boolean hasRows(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + quote(table) + ")");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + quote(table));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(DbLocation.PostgresUrl db) throws SQLException {
        Properties p = new Properties();
        if (db.user() != null) {
            p.setProperty("user", db.user());
        }
        if (db.password() != null) {
            p.setProperty("password", db.password());
        }
        return DriverManager.getConnection(db.url(), p);
    }

    private static HikariDataSource dataSource(DbLocation.PostgresUrl db) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(db.url());
        if (db.user() != null) {
            hc.setUsername(db.user());
        }
        if (db.password() != null) {
            hc.setPassword(db.password());
        }
        hc.setMaximumPoolSize(2);
        hc.setMinimumIdle(0);
        hc.setPoolName("dg-restore");
        return new HikariDataSource(hc);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String unquote(String regclass) {
        return regclass.startsWith("\"") ? regclass.substring(1, regclass.length() - 1).replace("\"\"", "\"") : regclass;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
