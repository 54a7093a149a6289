package org.decisiongraph.store.sql;

import java.sql.SQLException;

/** A unit of database work run by {@link Tx}; it may run more than once, so it must not keep state across runs. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Handle h) throws SQLException;
}
