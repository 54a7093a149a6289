package org.decisiongraph.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;

/**
 * The golden files in {@code fixtures/}, read with the core's own parser (so every test that uses them is
 * also a parser test). The folder comes from the system property {@code dg.fixtures.dir} (set by the
 * build) or is found by searching upward from the working directory (IDE runs).
 */
public final class CoreFixtures {
    public static final String VECTORS_CORE = "vectors-core.json";
    public static final String BUNDLE = "reference_fixture_bundle.json";

    private static final Map<String, JsonObject> CACHE = new ConcurrentHashMap<>();

    private CoreFixtures() {
    }

    public static Path dir() {
        String prop = System.getProperty("dg.fixtures.dir");
        if (prop != null && Files.isRegularFile(Paths.get(prop, VECTORS_CORE))) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("fixtures").resolve(VECTORS_CORE))) {
                return p.resolve("fixtures");
            }
        }
        throw new IllegalStateException("fixtures folder not found (system property dg.fixtures.dir = " + prop + ")");
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    public static JsonObject vectorsCore() {
        return load(VECTORS_CORE);
    }

    public static JsonObject bundle() {
        return load(BUNDLE);
    }

    private static JsonObject load(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try {
                return (JsonObject) JsonParser.parse(Files.readAllBytes(file(n)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A section's case list: the section itself when it is a list, else its {@code vectors} or {@code scenarios}. */
    public static List<Json> cases(String section) {
        Json s = vectorsCore().get(section);
        if (s instanceof JsonArray a) {
            return a.items();
        }
        JsonObject o = (JsonObject) s;
        JsonArray a = o.getArray("vectors") != null ? o.getArray("vectors") : o.getArray("scenarios");
        if (a == null) {
            throw new IllegalStateException("section " + section + " has no case list");
        }
        return a.items();
    }

    /**
     * A string field, honouring the file's convention that a field named {@code <name>_escaped} holds the
     * value written with JSON escapes (decoded here); null when neither is present.
     */
    public static String text(JsonObject o, String name) {
        if (o.get(name) instanceof JsonString s) {
            return s.value();
        }
        if (o.get(name + "_escaped") instanceof JsonString s) {
            return unescape(s.value());
        }
        return null;
    }

    /** Decodes JSON string escapes ({@code \\n}, {@code \\u00e9}, surrogate pairs, ...). */
    public static String unescape(String escaped) {
        return ((JsonString) JsonParser.parse("\"" + escaped + "\"")).value();
    }

    /** The 40 envelopes of the fixture bundle, in bundle order (scenarios sorted by name, then trace_seq). */
    public static List<JsonObject> bundleEvents() {
        return bundle().getArray("scenarios").items().stream()
                .flatMap(s -> ((JsonObject) s).getArray("events").items().stream())
                .map(JsonObject.class::cast)
                .toList();
    }
}
