package org.decisiongraph.server.api;

import java.util.List;
import java.util.Objects;

/**
 * One route of the API as the route table and the OpenAPI document see it.
 *
 * @param method        {@code GET} or {@code POST}
 * @param path          Javalin template, path parameters as {@code {name}}
 * @param access        pipeline (roles and rate scope)
 * @param permission    extra permission named in the document, or null
 * @param successStatus status of a success
 * @param summary       one line for the document
 * @param tag           document group
 * @param queryParams   query parameters (name: description)
 * @param requestSchema component schema name of the JSON body, or null
 * @param responseSchema component schema name of {@code data} (or of the raw body), or null
 * @param produces      response content type
 * @param deferRateLimit the handler charges the rate limiter itself (batch: ceil(n/100))
 */
public record RouteSpec(String method, String path, Access access, String permission, int successStatus, String summary,
                        String tag, List<String> queryParams, String requestSchema, String responseSchema, String produces,
                        boolean deferRateLimit) {
    public static final String JSON = "application/json";

    public RouteSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        queryParams = List.copyOf(queryParams);
        Objects.requireNonNull(produces, "produces");
    }

    public static RouteSpec get(String path, Access access, String summary, String tag) {
        return new RouteSpec("GET", path, access, null, 200, summary, tag, List.of(), null, null, JSON, false);
    }

    public static RouteSpec post(String path, Access access, int status, String summary, String tag) {
        return new RouteSpec("POST", path, access, null, status, summary, tag, List.of(), null, null, JSON, false);
    }

    public RouteSpec query(String... names) {
        return new RouteSpec(method, path, access, permission, successStatus, summary, tag, List.of(names), requestSchema,
                responseSchema, produces, deferRateLimit);
    }

    public RouteSpec body(String schema) {
        return new RouteSpec(method, path, access, permission, successStatus, summary, tag, queryParams, schema,
                responseSchema, produces, deferRateLimit);
    }

    public RouteSpec returns(String schema) {
        return new RouteSpec(method, path, access, permission, successStatus, summary, tag, queryParams, requestSchema,
                schema, produces, deferRateLimit);
    }

    public RouteSpec permission(String value) {
        return new RouteSpec(method, path, access, value, successStatus, summary, tag, queryParams, requestSchema,
                responseSchema, produces, deferRateLimit);
    }

    public RouteSpec produces(String contentType) {
        return new RouteSpec(method, path, access, permission, successStatus, summary, tag, queryParams, requestSchema,
                responseSchema, contentType, deferRateLimit);
    }

    public RouteSpec withDeferredRateLimit() {
        return new RouteSpec(method, path, access, permission, successStatus, summary, tag, queryParams, requestSchema,
                responseSchema, produces, true);
    }

    /** Answers in the envelope (JSON routes below /api/v1 other than raw bodies). */
    public boolean isJson() {
        return JSON.equals(produces);
    }

    /** The path parameters of the template, in order. */
    public List<String> pathParams() {
        return java.util.Arrays.stream(path.split("/"))
                .filter(s -> s.startsWith("{") && s.endsWith("}"))
                .map(s -> s.substring(1, s.length() - 1))
                .toList();
    }
}
