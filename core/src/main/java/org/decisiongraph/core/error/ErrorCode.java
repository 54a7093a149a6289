package org.decisiongraph.core.error;

/**
 * The nine error codes of the DecisionGraph error taxonomy. The code of an error is part of the
 * contract; callers decide on retries by asking {@link #isTransient()}, never by parsing messages.
 */
public enum ErrorCode {
    DG_ERR_INVALID_ARGUMENT("invalid_argument", 400, false),
    DG_ERR_SCHEMA_VIOLATION("schema_violation", 422, false),
    DG_ERR_PII_POLICY_VIOLATION("pii_policy_violation", 422, false),
    DG_ERR_IDEMPOTENCY_CONFLICT("idempotency_conflict", 409, false),
    /** Retryable under contention: another writer took the sequence number first. */
    DG_ERR_EVENT_SEQUENCE_INVALID("event_sequence_invalid", 409, true),
    DG_ERR_CONFLICT("conflict", 409, false),
    /** Retryable: database busy, lock timeout, connection lost. */
    DG_ERR_STORAGE("storage", 503, true),
    DG_ERR_NOT_FOUND("not_found", 404, false),
    DG_ERR_PROJECTION_OUT_OF_DATE("projection_out_of_date", 409, true);

    private final String apiCode;
    private final int httpStatus;
    private final boolean transientError;

    ErrorCode(String apiCode, int httpStatus, boolean transientError) {
        this.apiCode = apiCode;
        this.httpStatus = httpStatus;
        this.transientError = transientError;
    }

    /** The lowercase code used by the HTTP API ({@code "invalid_argument"}, ...). */
    public String apiCode() {
        return apiCode;
    }

    /** The HTTP status the service answers with for this code. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether a caller may retry the same request and expect a different outcome. */
    public boolean isTransient() {
        return transientError;
    }
}
