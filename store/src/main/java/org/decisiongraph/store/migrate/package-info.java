/**
 * Schema management: Flyway migrations per dialect ({@code db/migration/sqlite}, {@code db/migration/postgres})
 * and detection of the database layout, including files written by the Python reference.
 */
package org.decisiongraph.store.migrate;
