package org.decisiongraph.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.query.EdgeCursor;
import org.decisiongraph.projection.query.GraphFilter;
import org.decisiongraph.projection.query.NodeRef;
import org.decisiongraph.projection.query.PrecedentHit;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.projection.query.ProjectionQueries;
import org.decisiongraph.projection.query.TraceSummaryJson;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.store.readmodel.EdgeDirection;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * The projection-backed reads (platform spec 1.5-1.8): trace with summary, context subgraph, node edges,
 * precedents and projection health. Reads fail with 409 {@code projection_out_of_date} instead of answering
 * stale data.
 */
public final class ProjectionReadApi implements RouteGroup {
    private final ProjectionRuntime runtime;
    private final Function<String, Json> workflowRuntimeHealth;

    /**
     * @param workflowRuntimeHealth the {@code workflow_runtime} member of the health view (platform spec 1.8) for a
     *                              tenant, or null to leave it out (extension point for the workflow projection)
     */
    public ProjectionReadApi(ProjectionRuntime runtime, Function<String, Json> workflowRuntimeHealth) {
        this.runtime = runtime;
        this.workflowRuntimeHealth = workflowRuntimeHealth;
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/traces/{trace_id}", Access.READER, "A trace's events and its summary", "traces")
                .returns("TraceView"), this::trace);
        routes.add(RouteSpec.get("/api/v1/graph/context", Access.READER, "Context subgraph around a node", "graph")
                .query("node_type", "node_id", "edge_types", "node_types", "max_depth", "max_nodes", "max_edges")
                .returns("ContextSubgraph"), this::context);
        routes.add(RouteSpec.get("/api/v1/graph/edges", Access.READER, "A node's edges by (log_seq, edge_id)", "graph")
                .query("node_type", "node_id", "direction", "limit", "cursor_edge_key", "cursor_log_seq")
                .returns("EdgePage"), this::edges);
        routes.add(RouteSpec.get("/api/v1/precedents", Access.READER, "Finished traces as precedents", "graph")
                .query("entity_id", "entity_type", "limit", "outcome", "policy_id", "policy_version")
                .returns("PrecedentList"), this::precedents);
        routes.add(RouteSpec.get("/api/v1/projections/health", Access.READER, "Projection health of the tenant", "projections")
                .returns("ProjectionHealth"), this::health);
    }

    private Reply trace(Call call) {
        String traceId = call.pathParam("trace_id");
        ProjectionQueries q = runtime.queries(call.tenant());
        TraceSummaryRow summary = q.traceSummary(traceId); // staleness first, then 404
        List<StoredEvent> events = runtime.eventLog(call.tenant()).traceEvents(call.tenant(), traceId);
        return Reply.ok(JsonObject.builder()
                .put("events", Json.array(events.stream().map(EnvelopeJson::toJson).toList()))
                .put("summary", TraceSummaryJson.service(summary))
                .build());
    }

    private Reply context(Call call) {
        NodeRef center = node(call);
        GraphFilter filter = GraphFilter.DEFAULTS;
        List<String> edgeTypes = list(call, "edge_types");
        List<String> nodeTypes = list(call, "node_types");
        Long depth = call.queryLong("max_depth");
        Long nodes = call.queryLong("max_nodes");
        Long edges = call.queryLong("max_edges");
        filter = filter.withEdgeTypes(edgeTypes).withNodeTypes(nodeTypes)
                .withMaxDepth(depth == null ? GraphFilter.DEFAULT_MAX_DEPTH : clamp(depth))
                .withLimits(nodes == null ? GraphFilter.DEFAULT_MAX_NODES : clamp(nodes),
                        edges == null ? GraphFilter.DEFAULT_MAX_EDGES : clamp(edges));
        return Reply.ok(runtime.queries(call.tenant()).contextSubgraph(center, filter).toJson());
    }

    private Reply edges(Call call) {
        NodeRef node = node(call);
        String raw = call.query("direction");
        String dir = raw == null || raw.isBlank() ? "both" : raw.strip();
        EdgeDirection direction;
        try {
            direction = EdgeDirection.parse(dir);
        } catch (RuntimeException e) {
            throw ApiError.invalidArgument("Unknown direction \"" + dir + "\"");
        }
        Long limit = call.queryLong("limit");
        Long cursorLogSeq = call.queryLong("cursor_log_seq");
        String cursorKey = call.query("cursor_edge_key");
        ProjectionQueries q = runtime.queries(call.tenant());
        q.requireFresh(ProjectionName.CONTEXT_GRAPH);
        EdgeCursor cursor = cursorKey == null ? null : new EdgeCursor(cursorKey, direction, cursorLogSeq);
        return Reply.ok(q.nodeEdges(node, direction, cursor,
                limit == null ? ProjectionQueries.DEFAULT_EDGE_PAGE_LIMIT : clamp(limit)).toJson());
    }

    private Reply precedents(Call call) {
        ProjectionQueries q = runtime.queries(call.tenant());
        Long limit = call.queryLong("limit");
        q.requireFresh(ProjectionName.PRECEDENT_INDEX, ProjectionName.TRACE_SUMMARY);
        PrecedentQuery query = new PrecedentQuery(call.query("policy_id"), call.query("policy_version"),
                call.query("entity_type"), call.query("entity_id"), call.query("outcome"),
                limit == null ? PrecedentQuery.DEFAULT_LIMIT : clamp(limit));
        List<PrecedentHit> hits = q.findPrecedents(query);
        return Reply.ok(JsonObject.builder()
                .put("precedents", Json.array(hits.stream().map(PrecedentHit::toJson).toList()))
                .build());
    }

    private Reply health(Call call) {
        JsonObject health = runtime.health(call.tenant());
        if (workflowRuntimeHealth != null) {
            Json extra = workflowRuntimeHealth.apply(call.tenant());
            if (extra != null) {
                health = health.with("workflow_runtime", extra);
            }
        }
        return Reply.ok(health);
    }

    /** {@code node_type} and {@code node_id}: required, trimmed. */
    private static NodeRef node(Call call) {
        String type = call.query("node_type");
        if (type == null || type.isBlank()) {
            throw ApiError.invalidArgument("node_type is required");
        }
        String id = call.query("node_id");
        if (id == null || id.isBlank()) {
            throw ApiError.invalidArgument("node_id is required");
        }
        return new NodeRef(type.strip(), id.strip());
    }

    /** CSV and repeated keys combined; empty items dropped; nothing left → null (no filter). */
    static List<String> list(Call call, String name) {
        List<String> raw = call.queryMap().get(name);
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String value : raw) {
            for (String item : value.split(",")) {
                String s = item.strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Keeps out-of-int values invalid for the domain checks (which report them) without overflowing. */
    private static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
