package org.decisiongraph.projection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;

/** The golden vector files and helpers to turn their envelopes into stored events. */
public final class Fixtures {
    public static final String RECORDED_AT = "2026-01-01T00:00:00.000000Z";
    private static JsonObject projections;
    private static JsonObject bundle;

    private Fixtures() {
    }

    static Path dir() {
        String dir = System.getProperty("dg.fixtures.dir");
        if (dir == null) {
            throw new IllegalStateException("system property dg.fixtures.dir is not set");
        }
        return Path.of(dir);
    }

    public static synchronized JsonObject projections() {
        if (projections == null) {
            projections = (JsonObject) load("vectors-projections.json");
        }
        return projections;
    }

    public static synchronized JsonObject bundle() {
        if (bundle == null) {
            bundle = (JsonObject) load("reference_fixture_bundle.json");
        }
        return bundle;
    }

    private static Json load(String name) {
        try {
            return JsonParser.parse(Files.readString(dir().resolve(name)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fixture " + name, e);
        }
    }

    public static List<JsonObject> scenarios() {
        return projections().getArray("scenarios").items().stream().map(j -> (JsonObject) j).toList();
    }

    /** Stored events for envelopes, log_seq = firstLogSeq, firstLogSeq + 1, ... */
    public static List<StoredEvent> stored(List<EventEnvelope> envelopes, long firstLogSeq) {
        List<StoredEvent> out = new ArrayList<>(envelopes.size());
        long seq = firstLogSeq;
        for (EventEnvelope e : envelopes) {
            out.add(stored(e, seq++));
        }
        return out;
    }

    public static StoredEvent stored(EventEnvelope e, long logSeq) {
        return new StoredEvent("default", logSeq, RECORDED_AT, Hashing.payloadHash(e.payload()), e);
    }

    public static List<EventEnvelope> envelopes(JsonArray events) {
        return events.items().stream().map(EnvelopeJson::fromJson).toList();
    }

    /** A scenario's events replayed into an empty store: log_seq 1..N. */
    public static List<StoredEvent> scenarioEvents(JsonObject scenario) {
        return stored(envelopes(scenario.getArray("events")), 1);
    }

    /** All 40 events of the five scenarios in file order, log_seq 1..40. */
    public static List<StoredEvent> combinedEvents() {
        List<EventEnvelope> all = new ArrayList<>();
        for (JsonObject s : scenarios()) {
            all.addAll(envelopes(s.getArray("events")));
        }
        return stored(all, 1);
    }

    /** A fresh in-memory read model with everything projected in one rebuild. */
    public static Replayed replay(List<StoredEvent> events) {
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        ListEventFeed feed = ListEventFeed.of(events);
        Projector projector = new Projector(store, feed);
        projector.rebuildAll(Projector.DEFAULT_BATCH_SIZE);
        return new Replayed(store, feed, projector);
    }

    public record Replayed(InMemoryReadModelStore store, ListEventFeed feed, Projector projector) {
    }
}
