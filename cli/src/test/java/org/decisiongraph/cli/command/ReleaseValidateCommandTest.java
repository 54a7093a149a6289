package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dg release-validate} against a real {@code dg serve} child process on SQLite and on Postgres: the demo is
 * seeded over HTTP, the seven checks of platform spec 7.8 run with their exact names, a second run reuses the seed,
 * and a wrong key makes the run fail with exit 1.
 */
abstract class ReleaseValidateContract {
    @TempDir
    Path dir;

    abstract String newDatabase();

    @Test
    void sevenChecksPassAgainstARunningServerAndAWrongKeyFails() throws Exception {
        String db = newDatabase();
        // as in the README: the default trio with the release-demo tenant, then admin-main's token
        CliRun created = CliRun.dg("accounts", "bootstrap", db, "--include-release-demo");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = null;
        for (Json a : ((JsonObject) JsonParser.parse(created.out())).getArray("service_accounts")) {
            if ("admin-main".equals(((JsonObject) a).getString("account_id"))) {
                token = ((org.decisiongraph.core.json.JsonString) ((JsonObject) a).getArray("tokens").get(0)).value();
            }
        }
        assertThat(token).isNotNull();
        try (ServeProcess serve = ServeProcess.start(db, dir.resolve("serve.log"), Map.of())) {
            Path report = dir.resolve("reports/release.json");
            Path summary = dir.resolve("summary.md");
            CliRun run = CliRun.dg("release-validate", "--url", serve.base().toString(), "--api-key", token,
                    "--report", report.toString(), "--summary-output", summary.toString(), "--quiet");
            assertThat(report).as("exit %d, stderr: %s", run.exitCode(), run.err()).exists();
            JsonObject json = (JsonObject) JsonParser.parse(Files.readString(report));
            assertThat(run.out()).isEmpty();
            List<String> names = new ArrayList<>();
            boolean all = true;
            for (Json c : json.getArray("checks")) {
                JsonObject check = (JsonObject) c;
                names.add(check.getString("name"));
                assertThat(check.keys()).containsExactlyInAnyOrder("name", "status", "detail", "metadata");
                all &= "passed".equals(check.getString("status"));
                if (!"console_html".equals(check.getString("name"))) {
                    assertThat(check.getString("status")).as(check.toString()).isEqualTo("passed");
                }
            }
            assertThat(names).containsExactly("healthz", "console_html", "projection_health", "trace_read", "workflow_list",
                    "workflow_export", "replay_round_trip");
            // console_html passes exactly when the server renders an HTML page at / (the console, once it is merged)
            HttpResponse<String> root = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(serve.base()).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
            boolean consoleServed = root.statusCode() == 200 && root.body().toLowerCase(java.util.Locale.ROOT).contains("<html");
            assertThat(check(json, "console_html").getString("status")).isEqualTo(consoleServed ? "passed" : "failed");
            assertThat(json.get("success?")).isEqualTo(Json.of(all));
            assertThat(run.exitCode()).as(run.err()).isEqualTo(all ? 0 : 1);
            assertThat(json.get("seeded_demo")).isEqualTo(Json.of(true));
            assertThat(json.getString("release_candidate")).startsWith("v");
            assertThat(json.getObject("topology").getString("tenant_id")).isEqualTo("release-demo");
            assertThat(json.getObject("topology").getString("mix_env")).isEqualTo("dev");
            assertThat(json.getString("endpoint")).isEqualTo(serve.base().toString().replaceAll("/$", ""));
            assertThat(check(json, "trace_read").getObject("metadata").get("events")).isEqualTo(Json.of(6));
            assertThat(Files.readString(summary)).contains("| replay_round_trip | passed |");

            // a second run reuses the seeded events (idempotent appends) and still passes
            CliRun again = CliRun.dg("release-validate", "--url", serve.base().toString(), "--api-key", token);
            JsonObject second = (JsonObject) JsonParser.parse(again.out());
            assertThat(second.get("seeded_demo")).isEqualTo(Json.of(true));
            assertThat(check(second, "workflow_list").getString("status")).isEqualTo("passed");
            assertThat(check(second, "replay_round_trip").getString("status")).isEqualTo("passed");

            // a wrong key: the authenticated checks fail and the exit status is 1
            CliRun wrong = CliRun.dg("release-validate", "--url", serve.base().toString(), "--api-key", "dg_wrong_token");
            assertThat(wrong.exitCode()).isEqualTo(1);
            JsonObject bad = (JsonObject) JsonParser.parse(wrong.out());
            assertThat(bad.get("success?")).isEqualTo(Json.of(false));
            assertThat(bad.get("seeded_demo")).isEqualTo(Json.of(false));
            assertThat(check(bad, "trace_read").getString("status")).isEqualTo("failed");
            assertThat(check(bad, "trace_read").getString("detail")).contains("401");
            assertThat(wrong.err()).contains("FAILED replay_round_trip");
        }
    }

    @Test
    void missingKeyIsAUsageError() {
        CliRun run = CliRun.dg("release-validate", "--url", "http://127.0.0.1:1");
        if (System.getenv("DG_API_KEY") == null) {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("--api-key");
        }
    }

    @Test
    void aKeyThatLooksLikeAShortOptionClusterIsStillAKey() throws Exception {
        // tokens are base64url: about 3 in 4096 begin with "-o", "-h" or "-V", which picocli would otherwise parse
        for (String key : List.of("-oQpiNcCUxve17A02CmK-cDQVesWGED-FUoGs0JpSas", "-hX", "-Vx")) {
            Path report = dir.resolve("closed/" + key + ".json");
            CliRun run = CliRun.dg("release-validate", "--url", "http://127.0.0.1:1", "--api-key", key,
                    "--report", report.toString(), "--quiet");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).contains("FAILED healthz");
            assertThat(report).exists();
        }
    }

    private static JsonObject check(JsonObject report, String name) {
        for (Json c : report.getArray("checks")) {
            if (name.equals(((JsonObject) c).getString("name"))) {
                return (JsonObject) c;
            }
        }
        throw new AssertionError("no check " + name);
    }
}

class SqliteReleaseValidateTest extends ReleaseValidateContract {
    @Override
    String newDatabase() {
        return TestDatabases.newSqlitePath().toString();
    }
}

class PostgresReleaseValidateTest extends ReleaseValidateContract {
    @Override
    String newDatabase() {
        return TestDatabases.newPostgresUrl();
    }
}
