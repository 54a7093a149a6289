/**
 * Access control and audit storage for the HTTP service: service accounts and their hashed keys, the
 * tenant registry and the append-only, hash-chained {@code audit_log} (platform spec 2.1, 1.15.7, 2.6).
 * All SQL of these tables lives here; the server decides, this package stores.
 */
package org.decisiongraph.store.access;
