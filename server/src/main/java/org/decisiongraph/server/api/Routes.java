package org.decisiongraph.server.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * The route table: every route is registered here with its {@link RouteSpec}, which drives the pipeline
 * (Accept check, authentication, rate limit) and the OpenAPI document. Nothing registers routes with
 * Javalin directly, so the document cannot miss one.
 */
public final class Routes {
    private final JavalinConfig config;
    private final Services services;
    private final List<RouteSpec> specs = new ArrayList<>();

    public Routes(JavalinConfig config, Services services) {
        this.config = config;
        this.services = services;
    }

    public Services services() {
        return services;
    }

    /** Registers one route. */
    public void add(RouteSpec spec, ApiHandler handler) {
        for (RouteSpec s : specs) {
            if (s.method().equals(spec.method()) && s.path().equals(spec.path())) {
                throw new IllegalStateException("route registered twice: " + spec.method() + " " + spec.path());
            }
        }
        specs.add(spec);
        config.routes.addHttpHandler("GET".equals(spec.method()) ? HandlerType.GET : HandlerType.POST, spec.path(), wrap(spec, handler));
    }

    /**
     * Registers a handler outside the API table (the console's HTML pages): no OpenAPI entry, no API guard, no JSON
     * envelope; the handler answers (and authenticates) by itself.
     */
    public void addPage(HandlerType method, String path, Handler handler) {
        config.routes.addHttpHandler(method, path, ctx -> {
            ctx.attribute(Transport.ROUTE, path);
            handler.handle(ctx);
        });
    }

    /** The registered routes, in registration order. */
    public List<RouteSpec> specs() {
        return Collections.unmodifiableList(specs);
    }

    private Handler wrap(RouteSpec spec, ApiHandler handler) {
        return (Context ctx) -> {
            ctx.attribute(Transport.ROUTE, spec.path());
            Call call = new Call(ctx, services, spec, Transport.requestIdOf(ctx), clientAddress(ctx));
            try {
                if (spec.isJson()) {
                    Transport.checkAccept(ctx);
                }
                Guard.admit(call);
                if (call.principal() != null) {
                    org.slf4j.MDC.put("account_id", call.principal().accountId());
                }
                Transport.write(ctx, handler.handle(call));
            } catch (Throwable t) {
                if (t instanceof Error err && !(t instanceof StackOverflowError)) {
                    throw err;
                }
                Transport.writeError(ctx, t);
            }
        };
    }

    /** The socket peer, or the first {@code X-Forwarded-For} hop when the peer is a trusted proxy. */
    private String clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (services.config().trustedProxies().contains(peer)) {
            String xff = ctx.header("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                return xff.split(",")[0].strip();
            }
        }
        return peer;
    }
}
