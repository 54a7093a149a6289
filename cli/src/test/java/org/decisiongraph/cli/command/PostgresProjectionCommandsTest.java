package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.testkit.TestDatabases;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code dg import}, {@code replay}, {@code projection-status}, {@code verify} and {@code query} on a real Postgres URL. */
class PostgresProjectionCommandsTest {
    private static EmbeddedPostgres pg;
    private static String url;

    @BeforeAll
    static void start() {
        pg = TestDatabases.postgresServer();
        url = TestDatabases.newPostgresUrl();
    }


    @Test
    void projectionCommandsOnPostgres() throws Exception {
        JsonObject combined = ((JsonObject) JsonParser.parse(Files.readString(
                GoldenFiles.bundle().resolveSibling("vectors-projections.json")))).getObject("combined_all_scenarios");
        JsonObject digests = combined.getObject("digests");
        CliRun imported = CliRun.dg("import", url, GoldenFiles.bundle().toString(), "--tenant", "t1", "--quiet");
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        CliRun replay = CliRun.dg("replay", url, "--tenant", "t1");
        assertThat(replay.out()).isEqualTo("Projection digests after replay:\n"
                + "  context_graph: " + digests.getString("context_graph") + "\n"
                + "  full_projection: " + digests.getString("full_projection") + "\n"
                + "  precedent_index: " + digests.getString("precedent_index") + "\n"
                + "  trace_summary: " + digests.getString("trace_summary") + "\n");

        JsonObject status = (JsonObject) JsonParser.parse(CliRun.dg("projection-status", url, "--tenant", "t1",
                "--include-digests").out());
        assertThat(status.getObject("digests")).isEqualTo(digests);
        assertThat(status.get("is_stale")).isEqualTo(Json.of(false));

        CliRun verify = CliRun.dg("verify", url, "--tenant", "t1");
        assertThat(verify.exitCode()).as(verify.out()).isZero();

        CliRun precedents = CliRun.dg("query", "precedents", url, "--tenant", "t1");
        assertThat(((JsonObject) JsonParser.parse(precedents.out())).getArray("precedents"))
                .isEqualTo(combined.getArray("find_precedents_no_filter"));
        // another tenant of the same database is empty and consistent
        CliRun other = CliRun.dg("projection-status", url, "--tenant", "t2");
        assertThat(other.out()).contains("\"event_count\": 0").contains("\"is_stale\": false");
    }
}
