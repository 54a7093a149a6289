package org.decisiongraph.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;

/**
 * Realistic traces for load: the five golden scenarios (7-9 events each, 300-900 byte payloads) cloned
 * with fresh trace ids, event ids, idempotency keys and causation links, and with the primary entity
 * drawn from a skewed (Zipf-like) distribution over {@code entities} ids. Seeded, so runs repeat.
 */
public final class TraceGenerator {
    private final List<List<JsonObject>> templates = new ArrayList<>();
    private final SplittableRandom random;
    private final int entities;
    private final long seed;
    private long traces;

    public TraceGenerator(Path bundle, long seed, int entities) {
        this.random = new SplittableRandom(seed);
        this.entities = entities;
        this.seed = seed;
        JsonObject b;
        try {
            b = (JsonObject) JsonParser.parse(Files.readString(bundle));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Json s : b.getArray("scenarios")) {
            List<JsonObject> events = new ArrayList<>();
            for (Json e : ((JsonObject) s).getArray("events")) {
                events.add((JsonObject) e);
            }
            templates.add(events);
        }
    }

    /** The bundle next to the repository root's {@code fixtures/} (searched upward from the working directory). */
    public static Path findBundle() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("fixtures/reference_fixture_bundle.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("fixtures/reference_fixture_bundle.json not found above " + Path.of("").toAbsolutePath());
    }

    /** The events of the next trace as JSON envelopes. */
    public List<JsonObject> nextTraceJson() {
        long n = traces++;
        List<JsonObject> template = templates.get((int) (n % templates.size()));
        String traceId = String.format("%08x-%04x-4000-8000-%012x", seed & 0xffffffffL, (n >>> 48) & 0xffff, n & 0xffffffffffffL);
        // skewed entity choice: small ids much more often than large ones
        int entity = (int) Math.floor(Math.pow(random.nextDouble(), 3) * entities);
        Map<String, String> ids = new HashMap<>();
        List<JsonObject> out = new ArrayList<>(template.size());
        for (JsonObject e : template) {
            String eventId = traceId + "-" + out.size();
            ids.put(e.getString("event_id"), eventId);
            JsonObject payload = (JsonObject) e.get("payload");
            JsonObject primary = payload.getObject("primary_entity");
            if (primary != null) {
                payload = payload.with("primary_entity", primary.with("entity_id", Json.of("acct-" + entity)));
            }
            String causation = e.getString("causation_event_id");
            out.add(e.with("trace_id", Json.of(traceId))
                    .with("event_id", Json.of(eventId))
                    .with("idempotency_key", Json.of(e.getString("idempotency_key") + ":" + seed + ":" + n))
                    .with("causation_event_id", Json.ofNullable(causation == null ? null : ids.get(causation)))
                    .with("payload", payload));
        }
        return out;
    }

    public List<EventEnvelope> nextTrace() {
        List<EventEnvelope> out = new ArrayList<>();
        for (JsonObject o : nextTraceJson()) {
            out.add(EnvelopeJson.fromJson(o));
        }
        return out;
    }

    /** At least {@code count} events, whole traces. */
    public List<EventEnvelope> events(int count) {
        List<EventEnvelope> out = new ArrayList<>(count + 16);
        while (out.size() < count) {
            out.addAll(nextTrace());
        }
        return out;
    }

}
