/**
 * The read model of the projections: the rows of the context graph, trace summary, policy-evaluation index
 * and precedent index (projections spec section 1), the per-projection cursors and digest checkpoints, and
 * {@link org.decisiongraph.store.readmodel.ReadModelStore}, the one interface the projector and the queries
 * use. Every ordered scan and every ordered query result is in Unicode code-point order of its string key
 * (never a database collation), so SQL implementations order with a byte-wise collation ({@code COLLATE "C"}
 * on Postgres, SQLite's default {@code BINARY}).
 */
package org.decisiongraph.store.readmodel;
