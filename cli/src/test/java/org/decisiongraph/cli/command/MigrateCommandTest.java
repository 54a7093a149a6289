package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dg migrate on a fresh and a current SQLite file, and the refusal of a schema from the future. */
class MigrateCommandTest {
    @TempDir
    Path dir;

    @Test
    void migrateAppliesEverythingOnceThenNothing() {
        Path db = dir.resolve("m.db");
        CliRun first = CliRun.dg("migrate", db.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonObject r = (JsonObject) JsonParser.parse(first.out());
        JsonArray applied = r.getArray("applied");
        assertThat(applied.size()).isGreaterThanOrEqualTo(3);
        assertThat(applied.get(0)).isEqualTo(new JsonString("1"));
        assertThat(applied.items()).contains(new JsonString("6"));
        String version = r.getString("schema_version");
        assertThat(applied.get(applied.size() - 1)).isEqualTo(new JsonString(version));

        CliRun again = CliRun.dg("migrate", db.toString());
        assertThat(again.exitCode()).isZero();
        JsonObject r2 = (JsonObject) JsonParser.parse(again.out());
        assertThat(r2.getArray("applied").isEmpty()).isTrue();
        assertThat(r2.getString("schema_version")).isEqualTo(version);
    }

    @Test
    void aSchemaNewerThanTheBuildIsRefused() throws Exception {
        Path db = dir.resolve("future.db");
        CliRun first = CliRun.dg("migrate", db.toString());
        assertThat(first.exitCode()).isZero();
        String version = ((JsonObject) JsonParser.parse(first.out())).getString("schema_version");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                    + " installed_by, installed_on, execution_time, success) VALUES (999, '999', 'from the future', 'SQL',"
                    + " 'V999__from_the_future.sql', 0, 'test', CURRENT_TIMESTAMP, 1, 1)");
        }
        CliRun refused = CliRun.dg("migrate", db.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("Error: Database error: the database schema is at version 999, newer than this build knows ("
                + version + "); upgrade DecisionGraph to open it\n");
        CliRun checkpoint = CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString(), "--quiet");
        assertThat(checkpoint.exitCode()).isEqualTo(1);
        assertThat(checkpoint.err()).contains("newer than this build knows");
    }
}
