/**
 * The precedent_index projection (projections spec 2.5-2.6): the policy-evaluation index (written per
 * PolicyEvaluated) and the v2 precedent index (rebuilt for a trace when its TraceFinished is projected).
 */
package org.decisiongraph.projection.precedent;
