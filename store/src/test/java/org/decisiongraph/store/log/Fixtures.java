package org.decisiongraph.store.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;

/** Reads the golden fixture files from {@code dg.fixtures.dir} (or the nearest {@code fixtures/} upward). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path dir() {
        String prop = System.getProperty("dg.fixtures.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("fixtures/vectors-core.json"))) {
                return p.resolve("fixtures");
            }
        }
        throw new IllegalStateException("fixtures directory not found (set -Ddg.fixtures.dir)");
    }

    public static JsonObject read(String name) {
        try {
            return (JsonObject) JsonParser.parse(Files.readString(dir().resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonObject vectorsCore() {
        return read("vectors-core.json");
    }

    /** A golden scenario of the fixture bundle: its name and its events in order. */
    public record Scenario(String name, String traceId, List<EventEnvelope> events) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Scenario> goldenScenarios() {
        JsonObject bundle = read("reference_fixture_bundle.json");
        List<Scenario> out = new ArrayList<>();
        for (Json s : bundle.getArray("scenarios")) {
            JsonObject o = (JsonObject) s;
            List<EventEnvelope> events = new ArrayList<>();
            for (Json e : o.getArray("events")) {
                events.add(EnvelopeJson.fromJson(e));
            }
            out.add(new Scenario(o.getString("scenario"), o.getString("trace_id"), events));
        }
        return out;
    }

    /** event_id → payload hash for the 40 golden events. */
    public static java.util.Map<String, String> goldenPayloadHashes() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        Json section = vectorsCore().get("golden_event_payload_hashes");
        JsonArray items = section instanceof JsonArray a ? a : ((JsonObject) section).getArray("vectors");
        for (Json v : items) {
            JsonObject o = (JsonObject) v;
            out.put(o.getString("event_id"), o.getString("payload_hash"));
        }
        return out;
    }

    static String str(JsonObject o, String key) {
        Json v = o.get(key);
        return v instanceof JsonString s ? s.value() : null;
    }
}
