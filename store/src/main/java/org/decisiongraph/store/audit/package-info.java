/**
 * Audit-grade operations on top of the event log's hash chain ({@link org.decisiongraph.store.log.AuditChain}):
 * Ed25519 signing keys ({@link org.decisiongraph.store.audit.SigningKeys}), signed checkpoint statements
 * ({@link org.decisiongraph.store.audit.Checkpoint}) and their table ({@link org.decisiongraph.store.audit.Checkpoints}).
 * The format is documented in docs/OPERATIONS.md.
 */
package org.decisiongraph.store.audit;
