package org.decisiongraph.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;

/** The golden fixture bundle, found through {@code dg.fixtures.dir} (or upward from the working directory). */
final class GoldenFiles {
    private GoldenFiles() {
    }

    static Path bundle() {
        String prop = System.getProperty("dg.fixtures.dir");
        if (prop != null && Files.isRegularFile(Path.of(prop, "reference_fixture_bundle.json"))) {
            return Path.of(prop, "reference_fixture_bundle.json");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("fixtures/reference_fixture_bundle.json"))) {
                return p.resolve("fixtures/reference_fixture_bundle.json");
            }
        }
        throw new IllegalStateException("fixtures not found (set -Ddg.fixtures.dir)");
    }

    static List<JsonObject> scenarios() throws Exception {
        JsonObject bundle = (JsonObject) JsonParser.parse(Files.readString(bundle()));
        List<JsonObject> out = new ArrayList<>();
        for (Json s : bundle.getArray("scenarios")) {
            out.add((JsonObject) s);
        }
        return out;
    }

    static List<EventEnvelope> allEvents() throws Exception {
        List<EventEnvelope> out = new ArrayList<>();
        for (JsonObject s : scenarios()) {
            for (Json e : s.getArray("events")) {
                out.add(EnvelopeJson.fromJson(e));
            }
        }
        return out;
    }
}
