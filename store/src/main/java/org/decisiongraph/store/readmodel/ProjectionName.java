package org.decisiongraph.store.readmodel;

import java.util.List;

import org.decisiongraph.core.error.DgErrors;

/** The three projections, each with its own tables and cursor, in their canonical order. */
public enum ProjectionName {
    /** {@code dg_cg_nodes} and {@code dg_cg_edges}. */
    CONTEXT_GRAPH("context_graph"),
    /** {@code dg_trace_summary}. */
    TRACE_SUMMARY("trace_summary"),
    /** {@code dg_precedent_index} and {@code dg_policy_eval_index}. */
    PRECEDENT_INDEX("precedent_index");

    /** The synthetic digest name of the three components together. */
    public static final String FULL_PROJECTION = "full_projection";

    /** Canonical order: rebuild-all order, health list order, digest concatenation order. */
    public static final List<ProjectionName> CANONICAL_ORDER = List.of(values());

    private final String wireName;

    ProjectionName(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in tables, digests and the CLI, e.g. {@code "context_graph"}. */
    public String wireName() {
        return wireName;
    }

    /** The projection with this exact name; INVALID_ARGUMENT {@code Unknown projection '<name>'} otherwise. */
    public static ProjectionName parse(String name) {
        for (ProjectionName p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw DgErrors.unknownProjection(name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
