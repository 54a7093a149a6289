package org.decisiongraph.server.api;

import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The transport rules of platform spec 1.1: request ids (header, envelope, MDC), the success and error
 * envelopes, the one exception mapper (framework errors included: unknown route, 406, 413, malformed
 * JSON), {@code Retry-After}, the access log line and the HTTP timer.
 */
public final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger("org.decisiongraph.server.http");
    static final String REQUEST_ID = "dg.request_id";
    static final String ROUTE = "dg.route";
    static final String STARTED = "dg.started";
    static final String BODY = "dg.body";
    static final String JSON_TYPE = "application/json";
    /** Set on a request whose error answer is already written (API envelope or a console page): not rewritten. */
    public static final String ENVELOPED = "dg.enveloped";

    private Transport() {
    }

    /** Installs the request-id filter, the access log, the exception mapper and the body limit. */
    public static void install(JavalinConfig config, ServerMetrics metrics) {
        config.http.maxRequestSize = ServerConfig.MAX_BODY_BYTES;
        // Javalin copies each answer into Jetty's output through a buffer of this size, allocated per answer
        // (default: Jetty's 32 KB output buffer); answers are mostly small, and Jetty still aggregates large ones
        config.http.responseBufferSize = 2048;
        // requests Jetty rejects before routing (414, 431, bad URIs) also answer in the envelope
        config.jetty.modifyServer(server -> server.setErrorHandler(new ProtocolErrors()));
        config.routes.before(ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            String id = requestId(ctx.header("x-request-id"));
            ctx.attribute(REQUEST_ID, id);
            ctx.header("x-request-id", id);
            MDC.put("request_id", id);
            String tenant = ctx.header("x-tenant-id");
            if (tenant != null && !tenant.isBlank()) {
                MDC.put("tenant_id", tenant.strip());
            }
            String[] w3c = traceparent(ctx.header("traceparent"));
            if (w3c != null) {
                MDC.put("trace_id", w3c[0]);
                MDC.put("span_id", w3c[1]);
            } else {
                String trace = ctx.header("x-trace-id");
                if (trace != null && !trace.isBlank() && trace.length() <= 200) {
                    MDC.put("trace_id", trace.strip());
                }
            }
        });
        config.routes.after(ctx -> {
            drainBody(ctx);
            Long started = ctx.attribute(STARTED);
            Duration took = Duration.ofNanos(started == null ? 0 : System.nanoTime() - started);
            String route = ctx.attribute(ROUTE);
            int status = ctx.statusCode();
            metrics.httpRequest(ctx.method().name(), route == null ? "NOT_FOUND" : route, status, took);
            LOG.info("http_request method={} route={} status={} duration_ms={}", ctx.method().name(),
                    route == null ? "NOT_FOUND" : route, status, took.toMillis());
            MDC.clear();
        });
        config.routes.exception(Exception.class, (e, ctx) -> writeError(ctx, e));
        // Javalin's own answers (no route matched, early body limits): rewrite into the API envelope
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            config.routes.error(status, ctx -> {
                if (ctx.attribute(ENVELOPED) == null) {
                    writeError(ctx, switch (ctx.statusCode()) {
                        case 404, 405 -> ApiError.notFound("No route found for " + ctx.method().name() + " " + ctx.path());
                        case 413 -> tooLarge();
                        case 400 -> ApiError.invalidArgument("Malformed request");
                        default -> ApiError.internal();
                    });
                }
            });
        }
    }

    /** A usable {@code x-request-id}: 1-200 visible ASCII characters after trimming; else a new 16-char id. */
    static String requestId(String header) {
        if (header != null) {
            String h = header.strip();
            if (!h.isEmpty() && h.length() <= 200 && h.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                return h;
            }
        }
        // a correlation id, not a secret: no SecureRandom (one shared, locked generator) on every request
        byte[] bytes = new byte[12];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** trace id and parent span id of a valid W3C {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}), or null. */
    static String[] traceparent(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.strip().split("-");
        if (parts.length < 4 || !parts[0].matches("[0-9a-f]{2}") || parts[0].equals("ff")
                || !parts[1].matches("[0-9a-f]{32}") || parts[1].matches("0{32}")
                || !parts[2].matches("[0-9a-f]{16}") || parts[2].matches("0{16}") || !parts[3].matches("[0-9a-f]{2}")) {
            return null;
        }
        return new String[] {parts[1], parts[2]};
    }

    static String requestIdOf(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        if (id == null) {
            id = requestId(null);
            ctx.attribute(REQUEST_ID, id);
            ctx.header("x-request-id", id);
        }
        return id;
    }

    /** 406 unless the {@code Accept} header is absent or allows {@code application/json}. */
    static void checkAccept(Context ctx) {
        String accept = ctx.header("Accept");
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean zero = false;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    try {
                        zero = Double.parseDouble(p.substring(2)) == 0.0;
                    } catch (NumberFormatException e) {
                        zero = false;
                    }
                }
            }
            if (!zero && (type.equals("*/*") || type.equals("application/*") || type.equals(JSON_TYPE))) {
                return;
            }
        }
        throw new ApiError(406, "not_acceptable", "Accept header must allow application/json");
    }

    /**
     * Reads what is left of a request body the route did not read (bounded by the body limit). Jetty closes a
     * connection whose request body is still arriving when the answer is complete, and the reset of that close can
     * reach the client before the answer does: the client then sees no answer at all.
     */
    static void drainBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length == 0 || length > ServerConfig.MAX_BODY_BYTES || ctx.attribute(BODY) != null) {
            return;
        }
        try {
            jakarta.servlet.ServletInputStream in = ctx.req().getInputStream();
            if (in.isFinished()) {
                return;
            }
            byte[] buf = new byte[8192];
            long left = ServerConfig.MAX_BODY_BYTES;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the client went away or the body was consumed another way: nothing left to protect
        }
    }

    /**
     * The request body (cached for the request). A body with a Content-Length within the limit is read into an
     * array of exactly that size; chunked and form bodies, and bodies over the limit (Javalin's 413), go through
     * Javalin, which also keeps them for its form parameters.
     */
    static byte[] body(Context ctx) {
        byte[] cached = ctx.attribute(BODY);
        if (cached != null) {
            return cached;
        }
        long length = ctx.req().getContentLengthLong();
        byte[] bytes;
        if (length < 0 || length > ServerConfig.MAX_BODY_BYTES || isForm(ctx.contentType())) {
            bytes = ctx.bodyAsBytes();
        } else {
            try {
                bytes = ctx.req().getInputStream().readNBytes((int) length);
            } catch (java.io.IOException e) {
                throw ApiError.invalidArgument("Request body could not be read");
            }
        }
        ctx.attribute(BODY, bytes);
        return bytes;
    }

    /** Whether a Content-Type header names a form body ({@code application/x-www-form-urlencoded}, any parameters). */
    static boolean isForm(String contentType) {
        return contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    static ApiError tooLarge() {
        return new ApiError(413, "payload_too_large", "Request body exceeds " + ServerConfig.MAX_BODY_BYTES + " bytes");
    }

    /** Writes a reply: envelope (or raw JSON / text), extra headers, status. */
    static void write(Context ctx, Reply reply) {
        ctx.attribute(ENVELOPED, Boolean.TRUE);
        if (reply == Reply.STREAMED) {
            return;
        }
        reply.headers().forEach(ctx::header);
        ctx.status(reply.status());
        if (reply.bytes() != null) {
            ctx.contentType(reply.contentType());
            ctx.result(reply.bytes());
            return;
        }
        if (reply.text() != null) {
            ctx.contentType(reply.contentType());
            ctx.result(reply.text());
            return;
        }
        Json body = reply.raw() ? reply.data()
                : JsonObject.builder().put("data", reply.data()).put("request_id", requestIdOf(ctx)).build();
        ctx.contentType(JSON_TYPE);
        ctx.result(JsonWriter.canonicalLenientBytes(body));
    }

    /** Maps any throwable to the error envelope; unexpected ones are logged and answered 500 without text. */
    static void writeError(Context ctx, Throwable t) {
        ApiError e = toApiError(ctx, t);
        ctx.attribute(ENVELOPED, Boolean.TRUE);
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ctx.status(e.status());
        ctx.contentType(JSON_TYPE);
        ctx.result(JsonWriter.canonicalLenientBytes(JsonObject.builder()
                .put("error", e.toJson())
                .put("request_id", requestIdOf(ctx))
                .build()));
    }

    static ApiError toApiError(Context ctx, Throwable t) {
        String route = ctx.attribute(ROUTE);
        return switch (t) {
            case ApiError a -> a;
            case DgException d -> {
                if (d.code() == org.decisiongraph.core.error.ErrorCode.DG_ERR_STORAGE) {
                    LOG.warn("storage_error route={} message={}", route, d.message());
                }
                yield ApiError.of(d);
            }
            case EndpointNotFound n -> ApiError.notFound("No route found for " + ctx.method().name() + " " + ctx.path());
            case ContentTooLargeResponse c -> tooLarge();
            case HttpResponseException h when h.getStatus() == 413 -> tooLarge();
            case HttpResponseException h when h.getStatus() == 404 ->
                    ApiError.notFound("No route found for " + ctx.method().name() + " " + ctx.path());
            case HttpResponseException h when h.getStatus() == 400 -> ApiError.invalidArgument("Malformed request");
            default -> {
                LOG.error("internal_error route={}", route, t);
                yield ApiError.internal();
            }
        };
    }
}
