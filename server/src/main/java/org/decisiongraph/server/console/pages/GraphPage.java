package org.decisiongraph.server.console.pages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.decisiongraph.projection.query.ContextSubgraph;
import org.decisiongraph.projection.query.EdgeCursor;
import org.decisiongraph.projection.query.EdgePage;
import org.decisiongraph.projection.query.GraphFilter;
import org.decisiongraph.projection.query.NodeRef;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Section;
import org.decisiongraph.server.console.Svg;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.readmodel.EdgeDirection;
import org.decisiongraph.store.readmodel.EdgeRow;
import org.decisiongraph.store.readmodel.NodeRow;

/**
 * {@code /graph}: the context graph around a trace or any node (platform spec 4.3 #graph), drawn as a server-side SVG
 * (rings by distance from the centre) next to the reference's list view. Controls: depth 1-4 (default 2), node-type and
 * edge-type filters, max nodes / edges (default 24, up to 200). Clicking a node re-centres on it; the centre's
 * neighbours page through {@code GET /api/v1/graph/edges} semantics with a cursor ("expand").
 */
public final class GraphPage implements ConsolePages {
    public static final List<String> NODE_TYPES = List.of("trace", "entity", "input", "policy", "exception", "action", "actor");
    public static final List<String> EDGE_TYPES = List.of("trace_involves_entity", "trace_observed_input", "trace_evaluated_policy",
            "trace_requested_exception", "exception_approved_by", "trace_cited_precedent", "trace_proposed_action",
            "trace_committed_action", "action_targets_entity");
    private static final int SIZE = 640;

    /** The controls as given. */
    public record Controls(String traceId, String node, int depth, List<String> nodeTypes, List<String> edgeTypes, int maxNodes,
                           int maxEdges) {
    }

    /** The page's model: the subgraph with its SVG, and the centre's neighbour page. */
    public record View(String tenant, Controls controls, String centerKey, Section<ContextSubgraph> graph, String svg,
                       Map<String, Integer> edgeCounts, Section<EdgePage> neighbours, String neighboursNextHref) {
        public String recenterHref(String nodeKey) {
            return href(tenant, controls, nodeKey, null);
        }

        public String traceHref(String traceId) {
            return Urls.of("/trace", "tenant", tenant, "trace_id", traceId);
        }
    }

    @Override
    public void register(Console console) {
        console.nav("Graph", "/graph", Requirement.READER);
        console.page("/graph", Requirement.READER, r -> r.page("graph.jte", "Context graph", view(r)));
    }

    static String href(String tenant, Controls c, String nodeKey, String after) {
        List<String> pairs = new ArrayList<>(List.of("tenant", tenant, "node", nodeKey, "depth", Integer.toString(c.depth()),
                "max_nodes", Integer.toString(c.maxNodes()), "max_edges", Integer.toString(c.maxEdges())));
        if (!c.nodeTypes().isEmpty()) {
            pairs.addAll(List.of("node_types", String.join(",", c.nodeTypes())));
        }
        if (!c.edgeTypes().isEmpty()) {
            pairs.addAll(List.of("edge_types", String.join(",", c.edgeTypes())));
        }
        if (after != null) {
            pairs.addAll(List.of("after", after));
        }
        return Urls.of("/graph", pairs.toArray(String[]::new));
    }

    static View view(PageRequest r) {
        Controls c = new Controls(r.query("trace_id"), r.query("node"), r.queryInt("depth", 2, 1, 4),
                r.queryList("node_types").stream().filter(NODE_TYPES::contains).toList(),
                r.queryList("edge_types").stream().filter(EDGE_TYPES::contains).toList(),
                r.queryInt("max_nodes", 24, 1, 200), r.queryInt("max_edges", 24, 1, 200));
        NodeRef center = null;
        if (c.node() != null && c.node().contains(":")) {
            int i = c.node().indexOf(':');
            center = new NodeRef(c.node().substring(0, i), c.node().substring(i + 1));
        } else if (c.traceId() != null) {
            center = new NodeRef("trace", c.traceId());
        }
        if (center == null) {
            return new View(r.tenant(), c, null, Section.empty("Pick a trace for graph context (open a trace, then Context graph)."),
                    null, Map.of(), Section.empty("No node selected."), null);
        }
        if (r.console().runtime() == null) {
            return new View(r.tenant(), c, center.key(), Section.unavailable("The projection runtime is not running on this server."),
                    null, Map.of(), Section.unavailable("The projection runtime is not running on this server."), null);
        }
        NodeRef ref = center;
        var queries = r.console().runtime().queries(r.tenant());
        GraphFilter filter = new GraphFilter(c.edgeTypes().isEmpty() ? null : c.edgeTypes(), c.nodeTypes().isEmpty() ? null : c.nodeTypes(),
                c.depth(), c.maxNodes(), c.maxEdges());
        Section<ContextSubgraph> graph = Section.of(() -> queries.contextSubgraph(ref, filter))
                .emptyIf(g -> g.nodes().isEmpty(), "No node " + center.key() + " in the context graph.");
        String svg = graph.data() == null || graph.data().nodes().isEmpty() ? null : svg(r.tenant(), c, center.key(), graph.data());
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (graph.data() != null) {
            for (EdgeRow e : graph.data().edges()) {
                counts.merge(e.edgeType(), 1, Integer::sum);
            }
        }
        String after = r.query("after");
        EdgeCursor cursor = after == null ? null : new EdgeCursor(after, EdgeDirection.BOTH, null);
        Section<EdgePage> neighbours = Section.of(() -> queries.nodeEdges(ref, EdgeDirection.BOTH, cursor, 25))
                .emptyIf(p -> p.edges().isEmpty(), "No edges at " + center.key() + ".");
        String next = neighbours.data() != null && neighbours.data().nextCursor() != null
                ? href(r.tenant(), c, center.key(), neighbours.data().nextCursor().edgeKey()) : null;
        return new View(r.tenant(), c, center.key(), graph, svg, counts, neighbours, next);
    }

    /** Rings by BFS distance from the centre (undirected), nodes evenly spaced per ring; each node links to re-centre. */
    static String svg(String tenant, Controls c, String centerKey, ContextSubgraph g) {
        Map<String, List<String>> adj = new HashMap<>();
        for (EdgeRow e : g.edges()) {
            adj.computeIfAbsent(e.fromNodeId(), k -> new ArrayList<>()).add(e.toNodeId());
            adj.computeIfAbsent(e.toNodeId(), k -> new ArrayList<>()).add(e.fromNodeId());
        }
        Map<String, Integer> depth = new LinkedHashMap<>();
        List<String> queue = new ArrayList<>(List.of(centerKey));
        depth.put(centerKey, 0);
        for (int i = 0; i < queue.size(); i++) {
            String n = queue.get(i);
            for (String m : adj.getOrDefault(n, List.of())) {
                if (!depth.containsKey(m)) {
                    depth.put(m, depth.get(n) + 1);
                    queue.add(m);
                }
            }
        }
        Map<String, NodeRow> nodes = new LinkedHashMap<>();
        for (NodeRow n : g.nodes()) {
            nodes.put(n.nodeId(), n);
            depth.putIfAbsent(n.nodeId(), 1 + depth.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        }
        int maxDepth = Math.max(1, depth.values().stream().mapToInt(Integer::intValue).max().orElse(1));
        Map<Integer, List<String>> rings = new HashMap<>();
        for (var e : depth.entrySet()) {
            if (nodes.containsKey(e.getKey())) {
                rings.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
            }
        }
        double cx = SIZE / 2.0;
        double ringGap = (SIZE / 2.0 - 50) / maxDepth;
        Map<String, double[]> pos = new HashMap<>();
        for (var ring : rings.entrySet()) {
            List<String> ids = ring.getValue();
            for (int i = 0; i < ids.size(); i++) {
                double radius = ring.getKey() * ringGap;
                double angle = 2 * Math.PI * i / ids.size() + ring.getKey() * 0.4;
                pos.put(ids.get(i), new double[] {cx + radius * Math.cos(angle), cx + radius * Math.sin(angle)});
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("<svg viewBox=\"0 0 ").append(SIZE).append(' ').append(SIZE)
                .append("\" role=\"img\" aria-label=\"Context graph around ").append(Svg.esc(centerKey)).append("\" id=\"graph-svg\">");
        for (EdgeRow e : g.edges()) {
            double[] a = pos.get(e.fromNodeId());
            double[] z = pos.get(e.toNodeId());
            if (a == null || z == null) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "<line class=\"edge\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"><title>%s</title></line>",
                    a[0], a[1], z[0], z[1], Svg.esc(e.edgeType() + ": " + e.fromNodeId() + " -> " + e.toNodeId())));
        }
        for (NodeRow n : nodes.values()) {
            double[] p = pos.get(n.nodeId());
            if (p == null) {
                continue;
            }
            String type = NODE_TYPES.contains(n.nodeType()) && !"input".equals(n.nodeType()) && !"actor".equals(n.nodeType())
                    ? n.nodeType() : "other";
            String label = n.nodeId().length() > 22 ? n.nodeId().substring(0, 21) + "…" : n.nodeId();
            b.append("<a class=\"node").append(n.nodeId().equals(centerKey) ? " center" : "").append("\" href=\"")
                    .append(Svg.esc(href(tenant, c, n.nodeId(), null))).append("\" data-node=\"").append(Svg.esc(n.nodeId())).append("\">")
                    .append(String.format(Locale.ROOT, "<circle class=\"t-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\"/>", type, p[0], p[1],
                            n.nodeId().equals(centerKey) ? 14 : 9))
                    .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", p[0] + 12, p[1] + 4, Svg.esc(label)))
                    .append("<title>").append(Svg.esc(n.nodeType() + " " + n.nodeId() + " (trace " + n.traceId() + ")"))
                    .append("</title></a>");
        }
        return b.append("</svg>").toString();
    }
}
