/** How projection rules read payload values: the reference's Python {@code dict.get} / {@code str()} semantics. */
package org.decisiongraph.projection.payload;
