package org.decisiongraph.server.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.javalin.http.Context;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.auth.Principal;

/**
 * One request as a route sees it: parameters, the parsed body, the authenticated principal, the request
 * id and client address. Not thread-safe (one per request).
 */
public final class Call {
    private final Context ctx;
    private final Services services;
    private final RouteSpec spec;
    private final String requestId;
    private final String clientAddress;
    private Principal principal;
    private Json body;

    Call(Context ctx, Services services, RouteSpec spec, String requestId, String clientAddress) {
        this.ctx = ctx;
        this.services = services;
        this.spec = spec;
        this.requestId = requestId;
        this.clientAddress = clientAddress;
    }

    /** The Javalin context (streaming routes write the response themselves). */
    Context context() {
        return ctx;
    }

    public Services services() {
        return services;
    }

    public RouteSpec spec() {
        return spec;
    }

    public String requestId() {
        return requestId;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /** {@code "<METHOD> <path template>"}. */
    public String routeKey() {
        return spec.method() + " " + spec.path();
    }

    /** The authenticated caller; null on public routes. */
    public Principal principal() {
        return principal;
    }

    void principal(Principal value) {
        this.principal = value;
    }

    /** The caller's tenant (authenticated routes). */
    public String tenant() {
        return principal.tenant();
    }

    /** The principal's tenant, else the trimmed {@code x-tenant-id} header, else null. */
    String tenantOrNull() {
        if (principal != null) {
            return principal.tenant();
        }
        String h = ctx.header("x-tenant-id");
        return h == null || h.isBlank() ? null : h.strip();
    }

    public String header(String name) {
        return ctx.header(name);
    }

    /**
     * Whether the request's first {@code return} preference (RFC 7240 {@code Prefer} headers, in order) is
     * {@code minimal}. Names and values are compared without case; other preferences are ignored.
     */
    public boolean prefersMinimalReturn() {
        java.util.Enumeration<String> values = ctx.req().getHeaders("Prefer");
        while (values != null && values.hasMoreElements()) {
            for (String preference : values.nextElement().split(",")) {
                String token = preference.split(";", 2)[0];
                int eq = token.indexOf('=');
                if (eq > 0 && token.substring(0, eq).strip().equalsIgnoreCase("return")) {
                    String value = token.substring(eq + 1).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return value.equalsIgnoreCase("minimal");
                }
            }
        }
        return false;
    }

    /** A path parameter, percent-decoded once. */
    public String pathParam(String name) {
        return ctx.pathParam(name);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        return ctx.queryParam(name);
    }

    /** Every query parameter (for cursor fingerprints). */
    public Map<String, List<String>> queryMap() {
        return ctx.queryParamMap();
    }

    /** A strict integer query parameter, or null when absent. */
    public Long queryLong(String name) {
        return Params.integer(name, query(name));
    }

    /**
     * The request body as JSON: a JSON document, or a form body as an object of strings. An empty body is
     * an empty object. Malformed JSON → 400 {@code Malformed JSON request body}.
     */
    public Json body() {
        if (body != null) {
            return body;
        }
        byte[] bytes = Transport.body(ctx);
        if (bytes.length > ServerConfig.MAX_BODY_BYTES) {
            throw Transport.tooLarge();
        }
        if (startsLikeJson(bytes)) {
            body = parseJson(bytes);
            return body;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String start = text.stripLeading();
        boolean looksJson = start.startsWith("{") || start.startsWith("[");
        // a form body (curl --data without a Content-Type sends JSON as a form): read as JSON when it is JSON
        if (!looksJson && Transport.isForm(ctx.contentType())) {
            JsonObject.Builder b = JsonObject.builder();
            ctx.formParamMap().forEach((k, v) -> b.put(k, v.isEmpty() ? "" : v.getLast()));
            body = b.build();
            return body;
        }
        if (text.isBlank()) {
            body = JsonObject.empty();
            return body;
        }
        body = parseJson(bytes);
        return body;
    }

    private static Json parseJson(byte[] bytes) {
        try {
            return JsonParser.parse(bytes);
        } catch (DgException e) {
            throw ApiError.invalidArgument("Malformed JSON request body");
        }
    }

    /** Whether the first byte after JSON whitespace opens an object or array (no text copy of the body needed). */
    private static boolean startsLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    /** The body as an object; anything else → 400 {@code Request body must be a JSON object}. */
    public JsonObject bodyObject() {
        if (body() instanceof JsonObject o) {
            return o;
        }
        throw ApiError.invalidArgument("Request body must be a JSON object");
    }

    /** The raw request body (at most {@link ServerConfig#MAX_BODY_BYTES}, else 413). */
    public byte[] bodyBytes() {
        byte[] bytes = Transport.body(ctx);
        if (bytes.length > ServerConfig.MAX_BODY_BYTES) {
            throw Transport.tooLarge();
        }
        return bytes;
    }

    /** The request's Content-Type header, or null. */
    public String contentType() {
        return ctx.contentType();
    }

    /** Charges the rate limiter {@code cost} requests of this route's scope (routes with deferred limiting). */
    public void chargeRate(int cost) {
        Guard.chargeRate(this, cost);
    }
}
