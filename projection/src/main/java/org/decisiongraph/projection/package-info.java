/**
 * The projector: validates every stored event (payload hash, per-trace {@code trace_seq}) and applies it to the
 * three projections (context_graph, trace_summary, precedent_index), each with its own cursor, in all-or-nothing
 * batches. Rules per projection live in {@code .graph}, {@code .summary} and {@code .precedent}; digests in
 * {@code .digest}; the read queries in {@code .query}.
 */
package org.decisiongraph.projection;
