package org.decisiongraph.core.validate;

import java.util.List;
import java.util.Locale;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
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
        String hit;
        try {
            hit = scan(value, sb, 0);
        } catch (TooDeep e) {
            throw DgErrors.nestingTooDeep(JsonParser.MAX_DEPTH);
        }
        if (hit != null) {
            throw DgErrors.forbiddenContent(hit, sb.toString());
        }
    }

    /** Checks the scanned fields of an envelope, in the specification's walk order. */
    public static void check(EventEnvelope e) {
        check(e.payload(), "$.payload");
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

    /**
     * The first hit in member order (the path is left at its location), or null. {@code depth} containers
     * enclose {@code value}; deeper than the parser allows unwinds with {@link TooDeep} (no stack overflow,
     * and no string building at the bottom of a deep stack).
     */
    private static String scan(Json value, StringBuilder path, int depth) {
        switch (value) {
            case JsonString s -> {
                return firstHit(s.value());
            }
            case JsonObject o -> {
                enter(depth);
                for (var m : o.members().entrySet()) {
                    int len = path.length();
                    path.append('.').append(m.getKey());
                    String hit = scan(m.getValue(), path, depth + 1);
                    if (hit != null) {
                        return hit;
                    }
                    path.setLength(len);
                }
                return null;
            }
            case JsonArray a -> {
                enter(depth);
                for (int i = 0; i < a.size(); i++) {
                    int len = path.length();
                    path.append('[').append(i).append(']');
                    String hit = scan(a.get(i), path, depth + 1);
                    if (hit != null) {
                        return hit;
                    }
                    path.setLength(len);
                }
                return null;
            }
            default -> {
                return null; // numbers, booleans and null are not scanned
            }
        }
    }

    private static void enter(int enclosing) {
        if (enclosing >= JsonParser.MAX_DEPTH) {
            throw TOO_DEEP;
        }
    }

    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null, false, false);
        }
    }

    /** Preallocated with this class, on a shallow stack. */
    private static final TooDeep TOO_DEEP = new TooDeep();
}
