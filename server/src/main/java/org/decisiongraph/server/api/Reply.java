package org.decisiongraph.server.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.decisiongraph.core.json.Json;

/**
 * What a route answers: a status and either JSON data (wrapped in the success envelope unless
 * {@code raw}) or a text body with its content type. Extra headers are added as given.
 */
public record Reply(int status, Json data, boolean raw, String text, String contentType, Map<String, String> headers,
                    byte[] bytes) {

    public Reply(int status, Json data, boolean raw, String text, String contentType, Map<String, String> headers) {
        this(status, data, raw, text, contentType, headers, null);
    }

    /** A binary body (attachment downloads). */
    public static Reply bytes(int status, byte[] body, String contentType) {
        return new Reply(status, null, true, null, contentType, Map.of(), body.clone());
    }

    /** The handler wrote the response itself (a stream); nothing more is written. */
    public static final Reply STREAMED = new Reply(200, null, true, null, null, Map.of());

    public static Reply ok(Json data) {
        return new Reply(200, data, false, null, null, Map.of());
    }

    public static Reply created(Json data) {
        return new Reply(201, data, false, null, null, Map.of());
    }

    public static Reply status(int status, Json data) {
        return new Reply(status, data, false, null, null, Map.of());
    }

    /** A JSON body without the envelope (healthz, readyz, openapi.json). */
    public static Reply raw(int status, Json body) {
        return new Reply(status, body, true, null, null, Map.of());
    }

    public static Reply text(int status, String body, String contentType) {
        return new Reply(status, null, true, body, contentType, Map.of());
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, data, raw, text, contentType, h, bytes);
    }
}
