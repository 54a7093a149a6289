package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.decisiongraph.cli.Dg;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dg validate} run in process (cli spec, "dg validate"). */
class ValidateCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n", -1)).subList(0, out.split("\n", -1).length - 1);
        }
    }

    static Run dg(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Dg.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Path fixtures() {
        String prop = System.getProperty("dg.fixtures.dir");
        if (prop != null) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures"))) {
                return p.resolve("fixtures");
            }
        }
        throw new IllegalStateException("fixtures not found");
    }

    static JsonObject read(String name) throws IOException {
        return (JsonObject) JsonParser.parse(Files.readAllBytes(fixtures().resolve(name)));
    }

    static List<JsonObject> bundleEvents() throws IOException {
        List<JsonObject> events = new ArrayList<>();
        for (Json s : read("reference_fixture_bundle.json").getArray("scenarios")) {
            for (Json e : ((JsonObject) s).getArray("events")) {
                events.add((JsonObject) e);
            }
        }
        return events;
    }

    @Test
    void theFixtureBundleGivesTheFortyGoldenPayloadHashes() throws IOException {
        Map<String, String> golden = new HashMap<>();
        for (Json v : ((JsonObject) read("vectors-core.json").get("golden_event_payload_hashes")).getArray("vectors")) {
            golden.put(((JsonObject) v).getString("event_id"), ((JsonObject) v).getString("payload_hash"));
        }
        List<JsonObject> events = bundleEvents();
        assertThat(golden).hasSize(40);
        assertThat(events).hasSize(40);

        Run run = dg("validate", fixtures().resolve("reference_fixture_bundle.json").toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).endsWith("\n");
        assertThat(run.out().chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e));
        List<String> lines = run.lines();
        assertThat(lines).hasSize(40);
        for (int i = 0; i < 40; i++) {
            String expected = "{\"index\":" + i + ",\"valid\":true,\"payload_hash\":\"" + golden.get(events.get(i).getString("event_id")) + "\"}";
            assertThat(lines.get(i)).isEqualTo(expected);
        }
        assertThat(run.err()).isEqualTo("dg validate: 40 events, 40 valid, 0 invalid\n");
    }

    @Test
    void jsonLinesWithBadLinesArePartlyValid() throws IOException {
        List<JsonObject> events = bundleEvents();
        JsonObject first = events.get(0);
        JsonObject pii = events.get(1).with("actor", Json.obj("actor_type", Json.of("agent"), "actor_id", Json.of("desk-agent")));
        JsonObject floaty = events.get(2).with("payload", ((JsonObject) events.get(2).get("payload")).with("score", JsonParser.parse("0.25")));
        JsonObject review;
        try (InputStream in = getClass().getResourceAsStream("/workflow-review-requested.json")) {
            review = (JsonObject) JsonParser.parse(in.readAllBytes());
        }
        JsonObject unicodeType = events.get(3).with("event_type", Json.of("Événement"));
        String text = String.join("\n",
                JsonWriter.canonicalLenient(first),
                "",
                "{\"event_id\": tru}",
                JsonWriter.canonicalLenient(pii),
                JsonWriter.canonicalLenient(floaty),
                JsonWriter.canonicalLenient(review),
                JsonWriter.canonicalLenient(unicodeType),
                "") + "\n";
        Path file = Files.writeString(dir.resolve("events.jsonl"), text, StandardCharsets.UTF_8);

        Run run = dg("validate", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.lines()).containsExactly(
                "{\"index\":0,\"valid\":true,\"payload_hash\":\"sha256:05bdd600ea34428f6df95fa5c35f06fae382a84da0269a7d65968d88ff8de642\"}",
                "{\"index\":1,\"valid\":false,\"error_code\":\"DG_ERR_INVALID_ARGUMENT\",\"message\":\"Invalid JSON: invalid literal at line 3 column 14\"}",
                "{\"index\":2,\"valid\":false,\"error_code\":\"DG_ERR_PII_POLICY_VIOLATION\",\"message\":\"Forbidden content 'sk-' found at '$.actor.actor_id'\"}",
                "{\"index\":3,\"valid\":false,\"error_code\":\"DG_ERR_SCHEMA_VIOLATION\",\"message\":\"Float found at '$.score': 0.25. Use string representation for decimals.\"}",
                "{\"index\":4,\"valid\":false,\"error_code\":\"DG_ERR_SCHEMA_VIOLATION\",\"message\":\"Unknown event_type 'WorkflowReviewRequested'\"}",
                "{\"index\":5,\"valid\":false,\"error_code\":\"DG_ERR_SCHEMA_VIOLATION\",\"message\":\"Unknown event_type '\\u00c9v\\u00e9nement'\"}");
        assertThat(run.err()).isEqualTo("dg validate: 6 events, 1 valid, 5 invalid\n");

        Run platform = dg("validate", "--platform-types", file.toString());
        assertThat(platform.exit()).isZero();
        assertThat(platform.lines().get(4)).isEqualTo(
                "{\"index\":4,\"valid\":true,\"payload_hash\":\"sha256:750c604e7b4f316dc25ba5eaa1ccbdf3ac4ce23343a1171bde8d9652fbb78fb9\"}");
        assertThat(platform.lines()).hasSize(6);
    }

    @Test
    void anEventsDocumentFromStdin() throws IOException {
        List<JsonObject> events = bundleEvents();
        String doc = JsonWriter.prettyRaw(Json.obj("scenario", Json.of("dealdesk"), "events", Json.array(events.subList(0, 2))));
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)));
            Run run = dg("validate", "-");
            assertThat(run.exit()).isZero();
            assertThat(run.lines()).hasSize(2).allMatch(l -> l.contains("\"valid\":true"));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void unreadableFilesExitOne() throws IOException {
        Run missing = dg("validate", dir.resolve("nope.jsonl").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).isEqualTo("Error: File '" + dir.resolve("nope.jsonl") + "' not found\n");

        Run directory = dg("validate", dir.toString());
        assertThat(directory.exit()).isEqualTo(1);
        assertThat(directory.err()).isEqualTo("Error: '" + dir + "' is not a file\n");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\n  \"events\": [\n    oops\n  ]\n}\n");
        Run doc = dg("validate", broken.toString());
        assertThat(doc.exit()).isEqualTo(1);
        assertThat(doc.out()).isEmpty();
        assertThat(doc.err()).isEqualTo("Error reading '" + broken
                + "': DG_ERR_INVALID_ARGUMENT: Invalid JSON: unexpected character 'o' at line 3 column 5\n");
    }

    @Test
    void usageErrorsExitTwoAndHelpExitsZero() {
        Run none = dg("validate");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required parameter: '<file>'");
        Run unknown = dg("validate", "--nope", "x");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--nope'");
        Run help = dg("validate", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: dg validate", "--platform-types", "JSON Lines", "pure ASCII", "Exit codes");
        assertThat(dg("--help").out()).contains("validate");
    }
}
