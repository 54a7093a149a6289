package org.decisiongraph.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.projection.Projections;
import org.decisiongraph.projection.query.EdgeCursor;
import org.decisiongraph.projection.query.GraphFilter;
import org.decisiongraph.projection.query.NodeRef;
import org.decisiongraph.projection.query.PrecedentHit;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.projection.query.ProjectionQueries;
import org.decisiongraph.projection.query.TraceSummaryJson;
import org.decisiongraph.store.log.EventQuery;
import org.decisiongraph.store.readmodel.EdgeDirection;

/**
 * The {@code dg query} kinds over one tenant's projections, each taking its parameters as a JSON object named like
 * the options in snake_case (a missing or null parameter takes its default). Single commands and
 * {@code dg query batch} both run through here, so they give identical objects.
 */
final class QueryRunner {
    static final Set<String> KINDS = Set.of("events", "trace-events", "trace-summary", "subgraph", "edges", "precedents");

    private final Projections projections;

    QueryRunner(Projections projections) {
        this.projections = projections;
    }

    /** The result object of one query; DgException with the spec's code and message on failure. */
    JsonObject run(String kind, JsonObject params) {
        Params p = new Params(params == null ? JsonObject.empty() : params);
        return switch (kind == null ? "" : kind) {
            case "events" -> events(p);
            case "trace-events" -> traceEvents(p);
            case "trace-summary" -> traceSummary(p);
            case "subgraph" -> subgraph(p);
            case "edges" -> edges(p);
            case "precedents" -> precedents(p);
            default -> throw DgErrors.invalidArgument("Unknown query kind '" + kind + "'");
        };
    }

    /** {@code {"error":{"code":"DG_ERR_...","message":"..."}}}. */
    static JsonObject error(DgException e) {
        return JsonObject.builder().put("error", JsonObject.builder()
                .put("code", e.code().name()).put("message", e.message()).build()).build();
    }

    private static JsonArray events(List<StoredEvent> events) {
        return Json.array(events.stream().map(EnvelopeJson::toJson).toList());
    }

    private JsonObject events(Params p) {
        EventQuery query = new EventQuery(p.longOrNull("since_log_seq"), p.longOrNull("until_log_seq"),
                p.stringOrNull("event_type"), null, p.intOrNull("limit"));
        return JsonObject.builder().put("events", events(projections.eventLog().listEvents(projections.tenantId(), query)))
                .build();
    }

    private JsonObject traceEvents(Params p) {
        String traceId = p.required("trace_id");
        List<StoredEvent> events = projections.eventLog().traceEvents(projections.tenantId(), traceId,
                p.longOrNull("since_trace_seq"), p.intOrNull("limit"));
        if (events.isEmpty()) {
            throw DgErrors.traceNotFound(traceId);
        }
        return JsonObject.builder().put("events", events(events)).build();
    }

    private JsonObject traceSummary(Params p) {
        String traceId = p.required("trace_id");
        return JsonObject.builder()
                .put("summary", TraceSummaryJson.service(projections.queries().traceSummary(traceId))).build();
    }

    private NodeRef node(Params p) {
        String type = p.stringOrNull("node_type");
        String id = p.stringOrNull("node_id");
        if (type == null || id == null) {
            throw DgErrors.invalidArgument("node_type and node_id are required");
        }
        return new NodeRef(type, id);
    }

    private JsonObject subgraph(Params p) {
        NodeRef center = node(p);
        GraphFilter filter = new GraphFilter(p.stringsOrNull("edge_types"), p.stringsOrNull("node_types"),
                p.intOr("max_depth", GraphFilter.DEFAULT_MAX_DEPTH), p.intOr("max_nodes", GraphFilter.DEFAULT_MAX_NODES),
                p.intOr("max_edges", GraphFilter.DEFAULT_MAX_EDGES));
        return projections.queries().contextSubgraph(center, filter).toJson();
    }

    private JsonObject edges(Params p) {
        NodeRef node = node(p);
        String directionName = p.stringOrNull("direction");
        EdgeDirection direction = directionName == null ? EdgeDirection.BOTH : EdgeDirection.parse(directionName);
        String cursorKey = p.stringOrNull("cursor_edge_key");
        EdgeCursor cursor = null;
        if (cursorKey != null) {
            String cursorDirection = p.stringOrNull("cursor_direction");
            cursor = new EdgeCursor(cursorKey, cursorDirection == null ? direction : EdgeDirection.parse(cursorDirection),
                    p.longOrNull("cursor_log_seq"));
        }
        return projections.queries().nodeEdges(node, direction, cursor,
                p.intOr("limit", ProjectionQueries.DEFAULT_EDGE_PAGE_LIMIT)).toJson();
    }

    private JsonObject precedents(Params p) {
        PrecedentQuery query = new PrecedentQuery(p.stringOrNull("policy_id"), p.stringOrNull("policy_version"),
                p.stringOrNull("entity_type"), p.stringOrNull("entity_id"), p.stringOrNull("outcome"),
                p.intOr("limit", PrecedentQuery.DEFAULT_LIMIT));
        List<Json> hits = new ArrayList<>();
        for (PrecedentHit hit : projections.queries().findPrecedents(query)) {
            hits.add(hit.toJson());
        }
        return JsonObject.builder().put("precedents", Json.array(hits)).build();
    }

    /** Typed access to the parameters; a wrong type is INVALID_ARGUMENT. */
    private record Params(JsonObject json) {
        private Json value(String name) {
            Json v = json.get(name);
            return v instanceof JsonNull ? null : v;
        }

        String stringOrNull(String name) {
            Json v = value(name);
            if (v == null) {
                return null;
            }
            if (v instanceof JsonString s) {
                return s.value();
            }
            throw DgErrors.invalidArgument(name + " must be a string");
        }

        String required(String name) {
            String s = stringOrNull(name);
            if (s == null) {
                throw DgErrors.invalidArgument(name + " is required");
            }
            return s;
        }

        Long longOrNull(String name) {
            Json v = value(name);
            if (v == null) {
                return null;
            }
            if (v instanceof JsonInt i && i.fitsLong()) {
                return i.longValue();
            }
            throw DgErrors.invalidArgument(name + " must be an integer");
        }

        Integer intOrNull(String name) {
            Long v = longOrNull(name);
            if (v == null) {
                return null;
            }
            // beyond int range the limit checks fail anyway; clamp so they report the value's sign correctly
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }

        int intOr(String name, int fallback) {
            Integer v = intOrNull(name);
            return v == null ? fallback : v;
        }

        List<String> stringsOrNull(String name) {
            Json v = value(name);
            if (v == null) {
                return null;
            }
            if (v instanceof JsonArray a) {
                List<String> out = new ArrayList<>(a.size());
                for (Json item : a) {
                    if (!(item instanceof JsonString s)) {
                        throw DgErrors.invalidArgument(name + " must be a list of strings");
                    }
                    out.add(s.value());
                }
                return out;
            }
            throw DgErrors.invalidArgument(name + " must be a list of strings");
        }
    }
}
