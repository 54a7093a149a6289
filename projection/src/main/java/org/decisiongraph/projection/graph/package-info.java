/**
 * The context graph projection (projections spec 2.1-2.3): node and edge identifiers, the nodes and edges each
 * event emits, and their insert-if-absent application with placeholder endpoints.
 */
package org.decisiongraph.projection.graph;
