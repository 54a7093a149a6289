/** The trace summary projection (projections spec 2.4). */
package org.decisiongraph.projection.summary;
