package org.decisiongraph.server.api;

import java.util.List;

/** {@code GET /openapi.json} (N30) and a Swagger UI page at {@code /api/docs}. */
public final class OpenApiApi implements RouteGroup {
    static final String SWAGGER_VERSION = "5.34.1";
    private final String version;

    public OpenApiApi(String version) {
        this.version = version;
    }

    @Override
    public void register(Routes routes) {
        List<RouteSpec> specs = routes.specs();
        routes.add(RouteSpec.get("/openapi.json", Access.PUBLIC, "This OpenAPI 3.1 document", "operations"),
                call -> Reply.raw(200, OpenApiDocument.build(specs, version)));
        routes.add(RouteSpec.get("/api/docs", Access.PUBLIC, "Swagger UI for this document", "operations")
                .produces("text/html; charset=utf-8"), call -> Reply.text(200, PAGE, "text/html; charset=utf-8"));
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>DecisionGraph API</title>
            <link rel="stylesheet" href="/webjars/swagger-ui/%1$s/swagger-ui.css"></head>
            <body><div id="swagger-ui"></div>
            <script src="/webjars/swagger-ui/%1$s/swagger-ui-bundle.js"></script>
            <script>window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});</script>
            </body></html>
            """.formatted(SWAGGER_VERSION);
}
