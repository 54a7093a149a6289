package org.decisiongraph.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/**
 * The server's route table as {@code GET /openapi.json} of the running process publishes it (the document is
 * built from {@code server.api.Routes}, and the server's own tests fail if Javalin serves a route it does not
 * describe).
 */
record RouteTable(List<Route> routes) {

    /** One route: method, path template, {@code x-dg-access}, {@code x-dg-permission}, query and path parameter names. */
    record Route(String method, String path, String access, String permission, List<String> pathParams, List<String> queryParams) {
        String key() {
            return method + " " + path;
        }
    }

    static RouteTable of(DgClient anyClient) {
        JsonObject doc = anyClient.openApi().data();
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, Json> path : doc.getObject("paths").members().entrySet()) {
            for (Map.Entry<String, Json> op : ((JsonObject) path.getValue()).members().entrySet()) {
                JsonObject o = (JsonObject) op.getValue();
                List<String> pathParams = new ArrayList<>();
                List<String> queryParams = new ArrayList<>();
                if (o.get("parameters") instanceof org.decisiongraph.core.json.JsonArray params) {
                    for (Json p : params) {
                        JsonObject param = (JsonObject) p;
                        if (!param.has("name")) {
                            continue; // a $ref to a shared header
                        }
                        ("path".equals(param.getString("in")) ? pathParams : queryParams).add(param.getString("name"));
                    }
                }
                routes.add(new Route(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                        o.get("x-dg-access") instanceof JsonString s ? s.value() : "public",
                        o.get("x-dg-permission") instanceof JsonString s ? s.value() : null, pathParams, queryParams));
            }
        }
        return new RouteTable(List.copyOf(routes));
    }
}
