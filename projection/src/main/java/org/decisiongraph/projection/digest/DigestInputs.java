package org.decisiongraph.projection.digest;

/**
 * The exact strings the digests hash: the three component serialisations and the full digest's input
 * {@code "{cg}:{ts}:{pi}"}. For tests and diagnostics; digests themselves never build these strings.
 */
public record DigestInputs(String contextGraph, String traceSummary, String precedentIndex, String fullProjection) {
}
