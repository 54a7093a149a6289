package org.decisiongraph.core.validate;

import java.util.List;
import java.util.Locale;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/**
 * The PII / secret guard (core spec 4.4): case-insensitive substring matching of 25 patterns, tried in
 * code-point order, over string values only, walking the synthetic document payload, tags, actor,
 * source, correlation_id, causation_event_id, idempotency_key.
 */
public final class PiiGuard {
    /** The forbidden substrings, in the order they are tried. */
    public static final List<String> PATTERNS = List.of(
            "-----BEGIN",
            "-----BEGIN EC PRIVATE KEY",
            "-----BEGIN OPENSSH PRIVATE KEY",
            "-----BEGIN PRIVATE KEY",
            "-----BEGIN RSA PRIVATE KEY",
            "AKIA",
            "ASIA",
            "Bearer ",
            "api-key:",
            "api_key=",
            "apikey=",
            "gho_",
            "ghp_",
            "ghr_",
            "ghs_",
            "ghu_",
            "passwd=",
            "password=",
            "secret=",
            "sk-",
            "token=",
            "xoxa-",
            "xoxb-",
            "xoxp-",
            "xoxr-");

    private static final String[] LOWER = PATTERNS.stream().map(p -> p.toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private PiiGuard() {
    }

    /** The first matching pattern (original case) for a string value, or null. */
    public static String firstHit(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (int i = 0; i < LOWER.length; i++) {
            if (lower.contains(LOWER[i])) {
                return PATTERNS.get(i);
            }
        }
        return null;
    }

    /** Checks one JSON value rooted at {@code path}; throws {@code DG_ERR_PII_POLICY_VIOLATION}. */
    public static void check(Json value, String path) {
        StringBuilder sb = new StringBuilder(path);
        walk(value, sb);
    }

    /** Checks the scanned fields of an envelope, in the specification's walk order. */
    public static void check(EventEnvelope e) {
        StringBuilder path = new StringBuilder("$.payload");
        walk(e.payload(), path);
        List<String> tags = e.tags();
        for (int i = 0; i < tags.size(); i++) {
            string(tags.get(i), "$.tags[" + i + "]");
        }
        string(e.actor().actorType(), "$.actor.actor_type");
        string(e.actor().actorId(), "$.actor.actor_id");
        string(e.source().producerId(), "$.source.producer_id");
        string(e.source().system(), "$.source.system");
        string(e.source().subsystem(), "$.source.subsystem");
        string(e.correlationId(), "$.correlation_id");
        string(e.causationEventId(), "$.causation_event_id");
        string(e.idempotencyKey(), "$.idempotency_key");
    }

    private static void string(String value, String path) {
        if (value != null) {
            String hit = firstHit(value);
            if (hit != null) {
                throw DgErrors.forbiddenContent(hit, path);
            }
        }
    }

    private static void walk(Json value, StringBuilder path) {
        switch (value) {
            case JsonString s -> {
                String hit = firstHit(s.value());
                if (hit != null) {
                    throw DgErrors.forbiddenContent(hit, path.toString());
                }
            }
            case JsonObject o -> {
                for (var m : o.members().entrySet()) {
                    int len = path.length();
                    path.append('.').append(m.getKey());
                    walk(m.getValue(), path);
                    path.setLength(len);
                }
            }
            case JsonArray a -> {
                for (int i = 0; i < a.size(); i++) {
                    int len = path.length();
                    path.append('[').append(i).append(']');
                    walk(a.get(i), path);
                    path.setLength(len);
                }
            }
            default -> {
                // numbers, booleans and null are not scanned
            }
        }
    }
}
