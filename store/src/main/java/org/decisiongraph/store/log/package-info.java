/**
 * The event log: {@link org.decisiongraph.store.log.EventLog} (append one or a batch, read by trace or by
 * log position, stream in {@code log_seq} batches), {@link org.decisiongraph.store.log.AppendOutcome} and
 * {@link org.decisiongraph.store.log.EventQuery}. One SQL implementation serves SQLite and Postgres.
 */
package org.decisiongraph.store.log;
