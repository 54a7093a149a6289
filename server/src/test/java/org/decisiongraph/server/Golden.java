package org.decisiongraph.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;

/** The golden scenarios of {@code reference_fixture_bundle.json}, as event JSON objects in order. */
final class Golden {
    private Golden() {
    }

    static Path dir() {
        String prop = System.getProperty("dg.fixtures.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("fixtures/reference_fixture_bundle.json"))) {
                return p.resolve("fixtures");
            }
        }
        throw new IllegalStateException("fixtures directory not found");
    }

    /** Every scenario's events, scenario by scenario. */
    static List<List<JsonObject>> scenarios() {
        try {
            JsonObject bundle = (JsonObject) JsonParser.parse(Files.readString(dir().resolve("reference_fixture_bundle.json")));
            List<List<JsonObject>> out = new ArrayList<>();
            for (Json s : bundle.getArray("scenarios")) {
                List<JsonObject> events = new ArrayList<>();
                for (Json e : ((JsonObject) s).getArray("events")) {
                    events.add((JsonObject) e);
                }
                out.add(events);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonObject> allEvents() {
        return scenarios().stream().flatMap(List::stream).toList();
    }
}
