/**
 * Projection digests (projections spec 4): per component, the rows in code-point order of their key, each as a
 * JSON object in the ASCII-escaped digest form ({@code JsonWriter.ascii}), hashed as one string; rows are
 * streamed from the store into the hash, never held in a list.
 */
package org.decisiongraph.projection.digest;
