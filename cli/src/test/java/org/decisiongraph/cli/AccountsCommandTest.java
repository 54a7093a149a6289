package org.decisiongraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dg accounts create|list|rotate|revoke} on a real SQLite file. */
class AccountsCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result dg(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Dg.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void createListRotateRevoke() throws Exception {
        String db = dir.resolve("accounts.db").toString();
        Result created = dg("accounts", "create", db, "--id", "ingest", "--role", "writer",
                "--permission", "workflow_review", "--tenant", "tenant-a");
        assertThat(created.exit()).as(created.err()).isZero();
        JsonObject json = (JsonObject) JsonParser.parse(created.out().strip());
        assertThat(json.keys()).containsExactlyInAnyOrder("account_id", "token");
        assertThat(json.getString("account_id")).isEqualTo("ingest");
        String token = json.getString("token");
        assertThat(token).hasSize(43);

        Result duplicate = dg("accounts", "create", db, "--id", "ingest", "--role", "writer");
        assertThat(duplicate.exit()).isEqualTo(1);
        assertThat(duplicate.err()).contains("Service account 'ingest' already exists");
        assertThat(dg("accounts", "create", db, "--id", "x", "--role", "boss").exit()).isEqualTo(1);

        Result rotated = dg("accounts", "rotate", db, "ingest");
        assertThat(rotated.exit()).isZero();
        String second = ((JsonObject) JsonParser.parse(rotated.out().strip())).getString("token");
        assertThat(second).isNotEqualTo(token);

        Result list = dg("accounts", "list", db);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("\"ingest\"").contains(token.substring(0, 8)).contains(second.substring(0, 8))
                .doesNotContain(token).doesNotContain(second);

        Result revoked = dg("accounts", "revoke", db, "ingest", "--token-prefix", token.substring(0, 8));
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked_key_ids");

        // only hashes are stored
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT token_sha256, revoked_at FROM dg_service_account_keys ORDER BY created_at")) {
            int rows = 0;
            int revokedRows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getString(1)).startsWith("sha256:").doesNotContain(token).doesNotContain(second);
                if (rs.getString(2) != null) {
                    revokedRows++;
                }
            }
            assertThat(rows).isEqualTo(2);
            assertThat(revokedRows).isEqualTo(1);
        }
        assertThat(Files.readString(Path.of(db), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);
    }

    @Test
    void bootstrapCreatesTheDefaultTrioOnce() {
        String db = dir.resolve("boot.db").toString();
        Result r = dg("accounts", "bootstrap", db, "--include-release-demo");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject out = (JsonObject) JsonParser.parse(r.out());
        assertThat(out.getString("operator_console_account_id")).isEqualTo("admin-main");
        assertThat(out.getArray("service_accounts").items().stream().map(a -> ((JsonObject) a).getString("account_id")))
                .containsExactly("reader-main", "writer-main", "admin-main");
        assertThat(r.out()).contains("release-demo").contains("workflow_assign");
        Result again = dg("accounts", "bootstrap", db);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("Service account 'reader-main' already exists");
    }
}
