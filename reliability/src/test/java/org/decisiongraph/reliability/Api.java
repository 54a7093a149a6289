package org.decisiongraph.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/** Read-back helpers over the public API: every event of a tenant, projection health, digest verifications. */
final class Api {
    private Api() {
    }

    /** Every event of the client's tenant in {@code log_seq} order, through {@code GET /api/v1/events} pages. */
    static List<JsonObject> allEvents(DgClient client) {
        List<JsonObject> out = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("limit", "10000");
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            ApiResponse page = client.listEvents(q);
            for (Json e : page.data().getArray("events")) {
                out.add((JsonObject) e);
            }
            cursor = page.data().get("next_cursor") instanceof JsonString s ? s.value() : null;
        } while (cursor != null);
        return out;
    }

    static long longOf(JsonObject o, String key) {
        return ((JsonInt) o.get(key)).longValue();
    }

    /** Waits until the three projections of the client's tenant reached the log's last {@code log_seq}; returns the health. */
    static JsonObject awaitCaughtUp(DgClient client, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject health;
        while (true) {
            health = client.projectionHealth().data();
            long last = longOf(health, "event_log_last_seq");
            boolean caughtUp = true;
            for (Json p : health.getArray("projections")) {
                caughtUp &= longOf((JsonObject) p, "last_log_seq") == last;
            }
            if (caughtUp) {
                return health;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("projections did not catch up within " + timeout + ": " + health);
            }
            Thread.sleep(50);
        }
    }

    /** Runs a digest verification of every projection (clean rebuild in memory vs live tables); returns the finished job. */
    static JsonObject verifyDigests(DgClient admin, Duration timeout) throws InterruptedException {
        JsonObject v = admin.startDigestVerification("all", "reliability suite").data().getObject("verification");
        String id = v.getString("verification_id");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!List.of("passed", "failed", "error").contains(v.getString("status"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("digest verification " + id + " did not finish: " + v);
            }
            Thread.sleep(50);
            v = admin.digestVerification(id).data().getObject("verification");
        }
        return v;
    }
}
