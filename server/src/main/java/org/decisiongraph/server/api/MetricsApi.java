package org.decisiongraph.server.api;

/** {@code GET /metrics} (N29): Prometheus text format 0.0.4, behind the metrics token (platform spec 1.15.12). */
public final class MetricsApi implements RouteGroup {
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/metrics", Access.METRICS, "Prometheus metrics", "operations").produces(PROMETHEUS),
                call -> Reply.text(200, call.services().metrics().scrape(), PROMETHEUS));
    }
}
