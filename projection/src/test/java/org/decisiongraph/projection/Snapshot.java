package org.decisiongraph.projection;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.projection.digest.RowJson;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ReadModelStore;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/** Everything a read model holds, as comparable values (rows as JSON, incl. the columns digests leave out). */
public record Snapshot(JsonArray nodes, JsonArray edges, List<TraceSummaryRow> summaries, JsonArray precedents,
                       JsonArray policyEvals, Map<ProjectionName, Long> cursors, ProjectionDigests digests) {

    public static Snapshot of(ReadModelStore store) {
        List<JsonObject> nodes = new ArrayList<>();
        store.forEachNode(n -> nodes.add(RowJson.node(n)));
        List<JsonObject> edges = new ArrayList<>();
        store.forEachEdge(e -> edges.add(RowJson.edge(e)));
        List<TraceSummaryRow> summaries = new ArrayList<>();
        store.forEachTraceSummary(summaries::add);
        List<JsonObject> precedents = new ArrayList<>();
        store.forEachPrecedent(p -> precedents.add(RowJson.precedent(p)));
        List<JsonObject> evals = new ArrayList<>();
        store.forEachPolicyEval(r -> evals.add(RowJson.policyEval(r)));
        EnumMap<ProjectionName, Long> cursors = new EnumMap<>(ProjectionName.class);
        for (ProjectionName p : ProjectionName.values()) {
            cursors.put(p, store.cursor(p));
        }
        return new Snapshot(Json.array(nodes), Json.array(edges), List.copyOf(summaries), Json.array(precedents),
                Json.array(evals), cursors, Digests.compute(store));
    }
}
