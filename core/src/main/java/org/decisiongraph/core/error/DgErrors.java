package org.decisiongraph.core.error;

import static org.decisiongraph.core.error.ErrorCode.*;

import java.util.List;

/** Factories for every error message of the specification, so the exact texts live in one file. */
public final class DgErrors {
    private DgErrors() {
    }

    public static DgException invalidArgument(String message) {
        return new DgException(DG_ERR_INVALID_ARGUMENT, message);
    }

    public static DgException schema(String message) {
        return new DgException(DG_ERR_SCHEMA_VIOLATION, message);
    }

    // --- validation -------------------------------------------------------------------------------

    public static DgException unknownEventType(String type) {
        return schema("Unknown event_type '" + type + "'");
    }

    public static DgException payloadNotObject() {
        return schema("Payload must be a dict");
    }

    public static DgException missingString(String path) {
        return schema("Missing or invalid string for '" + path + "'");
    }

    public static DgException missingObject(String path) {
        return schema("Missing or invalid object for '" + path + "'");
    }

    public static DgException missingList(String path) {
        return schema("Missing or invalid list for '" + path + "'");
    }

    public static DgException idempotencyKeyEmpty() {
        return invalidArgument("Idempotency key cannot be empty");
    }

    public static DgException idempotencyKeyNullByte() {
        return invalidArgument("Idempotency key cannot contain null bytes");
    }

    public static DgException idempotencyKeyTooLong(int bytes) {
        return invalidArgument("Idempotency key exceeds 200 bytes (got " + bytes + " bytes)");
    }

    public static DgException notSerializable(String detail) {
        return invalidArgument("Payload is not JSON-serializable: " + detail);
    }

    /** Nesting beyond the parser's limit (the reference fails there with an uncategorised RecursionError). */
    public static DgException nestingTooDeep(int maxDepth) {
        return notSerializable("nesting deeper than " + maxDepth + " levels");
    }

    /** A payload string or key with an unpaired UTF-16 surrogate (the reference fails at hashing, uncategorised). */
    public static DgException payloadLoneSurrogate(String path) {
        return notSerializable("unpaired UTF-16 surrogate at '" + path + "'");
    }

    /** The reference fails with an uncategorised UnicodeEncodeError while measuring such a key. */
    public static DgException idempotencyKeyLoneSurrogate() {
        return invalidArgument("Idempotency key cannot contain unpaired UTF-16 surrogates");
    }

    /** An envelope string (not the payload) with an unpaired UTF-16 surrogate; it could not be stored as UTF-8. */
    public static DgException envelopeLoneSurrogate(String field) {
        return invalidArgument("Envelope field '" + field + "' contains an unpaired UTF-16 surrogate");
    }

    /** A value outside a literal domain the platform enforces (BEAM message). */
    public static DgException invalidValue(String value, String path) {
        return schema("Invalid value '" + value + "' for '" + path + "'");
    }

    public static DgException forbiddenContent(String pattern, String path) {
        return new DgException(DG_ERR_PII_POLICY_VIOLATION, "Forbidden content '" + pattern + "' found at '" + path + "'");
    }

    // --- append -----------------------------------------------------------------------------------

    public static DgException idempotencyPayloadConflict(String key) {
        return new DgException(DG_ERR_IDEMPOTENCY_CONFLICT, "Idempotency key '" + key + "' already used with different payload");
    }

    public static DgException idempotencyMetadataConflict(String key, List<String> fields) {
        return new DgException(DG_ERR_IDEMPOTENCY_CONFLICT,
                "Idempotency key '" + key + "' already used with different metadata: " + String.join(", ", fields));
    }

    public static DgException idempotencyKeyUsed(String key) {
        return new DgException(DG_ERR_IDEMPOTENCY_CONFLICT, "Idempotency key '" + key + "' already used");
    }

    public static DgException traceFinished(String traceId) {
        return new DgException(DG_ERR_CONFLICT, "Trace '" + traceId + "' is already finished");
    }

    public static DgException duplicateEventId(String eventId) {
        return new DgException(DG_ERR_CONFLICT, "event_id '" + eventId + "' already exists");
    }

    public static DgException expectedTraceSeq(long expected, long got) {
        return new DgException(DG_ERR_EVENT_SEQUENCE_INVALID, "Expected trace_seq " + expected + ", got " + got);
    }

    public static DgException traceStartedNotZero() {
        return new DgException(DG_ERR_EVENT_SEQUENCE_INVALID, "TraceStarted must have trace_seq=0");
    }

    public static DgException firstEventNotTraceStarted(String type) {
        return new DgException(DG_ERR_EVENT_SEQUENCE_INVALID, "First event must be TraceStarted, got " + type);
    }

    public static DgException traceSeqExists(long traceSeq) {
        return new DgException(DG_ERR_EVENT_SEQUENCE_INVALID, "trace_seq " + traceSeq + " already exists for trace");
    }

    public static DgException storage(String driverMessage, Throwable cause) {
        return new DgException(DG_ERR_STORAGE, "Database error: " + driverMessage, cause);
    }

    public static DgException tenantEmpty() {
        return invalidArgument("tenant_id cannot be empty");
    }

    // --- store limits (added with the store module) -------------------------------------------------

    public static DgException payloadTooLarge(long limit, long got) {
        return invalidArgument("Payload exceeds " + limit + " bytes (got " + got + " bytes)");
    }

    public static DgException limitNotPositive(long limit) {
        return invalidArgument("limit must be positive, got " + limit);
    }

    public static DgException negativeLogSeq(long value) {
        return invalidArgument("log sequence values must be non-negative, got " + value);
    }

    public static DgException negativeTraceSeq(long value) {
        return invalidArgument("since_trace_seq must be non-negative, got " + value);
    }

    // --- reads ------------------------------------------------------------------------------------

    public static DgException traceNotFound(String traceId) {
        return new DgException(DG_ERR_NOT_FOUND, "Trace not found: " + traceId);
    }

    public static DgException projectionsOutOfDate(long cursor, long last) {
        return new DgException(DG_ERR_PROJECTION_OUT_OF_DATE, "Projections at log_seq=" + cursor + ", events at " + last);
    }

    public static DgException batchSizeNotPositive() {
        return invalidArgument("batch_size must be positive");
    }

    public static DgException limitTooLarge(long limit) {
        return invalidArgument("limit must be <= 10000, got " + limit);
    }

    public static DgException sinceAfterUntil(long since, long until) {
        return invalidArgument("since_log_seq (" + since + ") must be <= until_log_seq (" + until + ")");
    }

    // --- projections (projections spec, Appendix B) ----------------------------------------------

    public static DgException payloadHashMismatch(String eventId, String expected, String actual) {
        return new DgException(DG_ERR_CONFLICT,
                "Payload hash mismatch for event " + eventId + ": expected " + expected + ", got " + actual);
    }

    public static DgException traceSeqGap(String traceId, long expected, long got) {
        return new DgException(DG_ERR_EVENT_SEQUENCE_INVALID,
                "trace_seq gap in trace " + traceId + ": expected " + expected + ", got " + got);
    }

    public static DgException policyEvaluatedRequiresPolicy() {
        return schema("PolicyEvaluated requires policy_id and policy_version");
    }

    public static DgException exceptionRequestedRequiresPolicy() {
        return schema("ExceptionRequested requires policy and exception_id");
    }

    public static DgException unknownProjection(String name) {
        return invalidArgument("Unknown projection '" + name + "'");
    }

    public static DgException batchSizeNotPositive(long batchSize) {
        return invalidArgument("batch_size must be positive, got " + batchSize);
    }

    public static DgException logSeqNegative(long value) {
        return invalidArgument("log sequence values must be non-negative, got " + value);
    }

    public static DgException maxDepthNegative() {
        return invalidArgument("max_depth must be non-negative");
    }

    public static DgException maxDepthTooLarge() {
        return invalidArgument("max_depth must be <= 10");
    }

    public static DgException maxNodesNotPositive() {
        return invalidArgument("max_nodes must be positive");
    }

    public static DgException maxEdgesNotPositive() {
        return invalidArgument("max_edges must be positive");
    }

    public static DgException edgeTypesEmpty() {
        return invalidArgument("edge_types must not be empty if specified");
    }

    public static DgException nodeTypesEmpty() {
        return invalidArgument("node_types must not be empty if specified");
    }

    public static DgException cursorEdgeKeyNotFound(String key) {
        return invalidArgument("cursor.edge_key not found: " + key);
    }

    public static DgException cursorDirectionMismatch() {
        return invalidArgument("cursor.direction must match direction argument");
    }

    public static DgException cursorEdgeKeyEmpty() {
        return invalidArgument("edge_key must not be empty");
    }

    public static DgException cursorLogSeqNotPositive() {
        return invalidArgument("log_seq must be positive when provided");
    }

    public static DgException invalidEdgeDirection() {
        return invalidArgument("direction must be \"outgoing\", \"incoming\", or \"both\"");
    }

    /** list_node_edges upper bound (BEAM's range message; Python has no upper bound there). */
    public static DgException limitOutOfRange(long limit) {
        return invalidArgument("limit must be between 1 and 10000, got " + limit);
    }

    public static DgException policyVersionRequiresPolicyId() {
        return invalidArgument("policy_version requires policy_id");
    }

    public static DgException entityIdRequiresEntityType() {
        return invalidArgument("entity_id requires entity_type");
    }

    /** find_precedents lower bound. */
    public static DgException precedentLimitNotPositive() {
        return invalidArgument("limit must be positive");
    }

    /** find_precedents upper bound. */
    public static DgException precedentLimitTooLarge() {
        return invalidArgument("limit must be <= 10000");
    }

    /** An unexpected failure inside a projection batch, reported as retryable (BEAM worker wrapper). */
    public static DgException projectionRuntimeError(String detail, Throwable cause) {
        return new DgException(DG_ERR_STORAGE, "Projection runtime error: " + detail, cause);
    }

    /** An evidence export whose events no stored signed checkpoint covers yet (the service holds no signing key). */
    public static DgException noSignedCheckpoint(String tenant, long logSeq) {
        return new DgException(DG_ERR_CONFLICT, "no signed checkpoint of tenant '" + tenant + "' covers log_seq=" + logSeq
                + "; run dg checkpoint");
    }
}
