/**
 * JDBC plumbing shared by every table of the store: {@link org.decisiongraph.store.sql.Tx} (the one place
 * that retries SQLITE_BUSY and Postgres serialization failures), {@link org.decisiongraph.store.sql.Handle}
 * and the mapping of driver errors to {@code DG_ERR_*} codes.
 */
package org.decisiongraph.store.sql;
