package org.decisiongraph.workflow;

/**
 * A refused workflow request with its HTTP status, API code and the spec's exact message. The server
 * answers it in the error envelope.
 */
public final class WorkflowError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public WorkflowError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static WorkflowError invalid(String message) {
        return new WorkflowError(400, "invalid_argument", message);
    }

    public static WorkflowError forbidden(String message) {
        return new WorkflowError(403, "forbidden", message);
    }

    public static WorkflowError notFound(String message) {
        return new WorkflowError(404, "not_found", message);
    }

    public static WorkflowError conflict(String message) {
        return new WorkflowError(409, "conflict", message);
    }

    public static WorkflowError idempotencyConflict(String key) {
        return new WorkflowError(409, "idempotency_conflict", "Idempotency key '" + key + "' already used with different payload");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String message() {
        return getMessage();
    }
}
