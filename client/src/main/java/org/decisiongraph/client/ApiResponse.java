package org.decisiongraph.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;

/** A successful answer: status, headers and the parsed body ({@code data} of the envelope via {@link #data()}). */
public record ApiResponse(int status, Map<String, List<String>> headers, Json body) {

    public Optional<String> header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().getFirst());
            }
        }
        return Optional.empty();
    }

    /** The envelope's {@code data} object (or the raw body of healthz/readyz/openapi). */
    public JsonObject data() {
        if (body instanceof JsonObject o && o.get("data") instanceof JsonObject d && o.has("request_id")) {
            return d;
        }
        return body instanceof JsonObject o ? o : JsonObject.empty();
    }

    public String requestId() {
        return body instanceof JsonObject o ? o.getString("request_id") : null;
    }
}
