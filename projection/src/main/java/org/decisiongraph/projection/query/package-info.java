/**
 * The projection-backed read queries (projections spec 5-6): trace summary, context subgraph, node edge pages
 * and precedent search, each failing with PROJECTION_OUT_OF_DATE while its projections lag the log. Results keep
 * the orderings of spec 6.7 (code point order for every string).
 */
package org.decisiongraph.projection.query;
