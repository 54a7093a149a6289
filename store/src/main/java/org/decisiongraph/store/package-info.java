/**
 * The event store: {@link org.decisiongraph.store.Database} (SQLite by default, Postgres), where it lives
 * ({@link org.decisiongraph.store.DbLocation}) and how it is tuned ({@link org.decisiongraph.store.StoreConfig}).
 * The event log API is in {@code store.log}; all SQL stays inside this module.
 */
package org.decisiongraph.store;
