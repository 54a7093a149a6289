package org.decisiongraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Run the service" steps as a new user follows them: the account command exactly as the README
 * prints it, {@code dg serve} as a child process, the golden events of the fixture bundle posted in one batch,
 * then the health endpoint until the projections show the golden digests of {@code vectors-projections.json}.
 */
class ReadmeServiceWalkthroughTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String README_DB = "./data/decisiongraph.db";

    @TempDir
    Path dir;

    @Test
    void theReadmeStepsGiveTheGoldenDigests() throws Exception {
        // step 1: the README's own command line, with the database in a temporary folder
        String line = Files.readAllLines(ROOT.resolve("README.md")).stream()
                .filter(l -> l.startsWith("./dg accounts create " + README_DB + " --id ingest")).findFirst().orElseThrow();
        Path db = dir.resolve("decisiongraph.db");
        List<String> args = new ArrayList<>(Arrays.asList(line.substring("./dg ".length()).split(" +")));
        args.replaceAll(a -> a.equals(README_DB) ? db.toString() : a);
        StringWriter out = new StringWriter();
        int exit = Dg.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute(args.toArray(String[]::new));
        assertThat(exit).isZero();
        String token = ((JsonObject) JsonParser.parse(out.toString().strip())).getString("token");

        // step 2: dg serve
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.decisiongraph.cli.Dg", "serve", "--db", db.toString(), "--port", "0", "--bind", "127.0.0.1"))
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String port = null;
            for (String l; port == null && (l = err.readLine()) != null; ) {
                int at = l.indexOf("listening on http://");
                if (at >= 0) {
                    port = l.substring(l.lastIndexOf(':') + 1).strip();
                }
            }
            assertThat(port).as("listening line on stderr").isNotNull();
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();

            // step 3: the 40 golden events of the five scenarios in one batch
            JsonObject bundle = (JsonObject) JsonParser.parse(Files.readString(ROOT.resolve("fixtures/reference_fixture_bundle.json")));
            List<Json> events = new ArrayList<>();
            for (Json scenario : bundle.getArray("scenarios")) {
                ((JsonObject) scenario).getArray("events").forEach(events::add);
            }
            String body = JsonWriter.canonicalLenient(JsonObject.builder().put("events", Json.array(events)).build());
            HttpResponse<String> batch = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/events/batch"))
                    .header("Authorization", "Bearer " + token).header("x-tenant-id", "default")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
            JsonObject summary = ((JsonObject) JsonParser.parse(batch.body())).getObject("data").getObject("summary");
            assertThat(summary.get("appended")).as(summary.toString()).isEqualTo(Json.of(events.size()));
            assertThat(events).hasSize(40);

            // step 4: health shows the golden digests
            JsonObject golden = ((JsonObject) JsonParser.parse(Files.readString(ROOT.resolve("fixtures/vectors-projections.json"))))
                    .getObject("combined_all_scenarios").getObject("digests");
            JsonObject health = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/projections/health"))
                        .header("Authorization", "Bearer " + token).header("x-tenant-id", "default").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                health = ((JsonObject) JsonParser.parse(r.body())).getObject("data");
                if (golden.getString("full_projection").equals(health.getString("full_digest"))) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(health.getString("full_digest")).as(health.toString()).isEqualTo(golden.getString("full_projection"));
            JsonArray projections = health.getArray("projections");
            for (Json item : projections) {
                JsonObject p1 = (JsonObject) item;
                assertThat(p1.getString("digest")).as(p1.getString("projection_name"))
                        .isEqualTo(golden.getString(p1.getString("projection_name")));
                assertThat(p1.get("last_log_seq")).isEqualTo(Json.of(40));
            }
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }
}
