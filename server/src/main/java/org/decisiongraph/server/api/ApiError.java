package org.decisiongraph.server.api;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.json.JsonObject;

/**
 * An error answered in the API envelope: HTTP status, API code, message and details. The codes outside
 * {@link ErrorCode} are the transport's own ({@code unauthorized}, {@code forbidden}, {@code rate_limited},
 * {@code not_acceptable}, {@code payload_too_large}, {@code internal_error}).
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient JsonObject details;
    private final long retryAfterSeconds;

    public ApiError(int status, String code, String message, JsonObject details, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details == null ? JsonObject.empty() : details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiError(int status, String code, String message) {
        this(status, code, message, JsonObject.empty(), 0);
    }

    /** Seconds a client should wait before retrying after a {@code storage} error (database unreachable or busy). */
    static final long STORAGE_RETRY_AFTER_SECONDS = 1;

    public static ApiError of(DgException e) {
        long retryAfter = e.code() == org.decisiongraph.core.error.ErrorCode.DG_ERR_STORAGE ? STORAGE_RETRY_AFTER_SECONDS : 0;
        return new ApiError(e.code().httpStatus(), e.code().apiCode(), e.message(), ErrorDetails.of(e), retryAfter);
    }

    public static ApiError invalidArgument(String message) {
        return new ApiError(400, ErrorCode.DG_ERR_INVALID_ARGUMENT.apiCode(), message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, ErrorCode.DG_ERR_NOT_FOUND.apiCode(), message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, ErrorCode.DG_ERR_CONFLICT.apiCode(), message);
    }

    public static ApiError rateLimited(String scope, long retryAfterSeconds) {
        return new ApiError(429, "rate_limited", "Rate limit exceeded for " + scope + " API scope", JsonObject.empty(),
                retryAfterSeconds);
    }

    public static ApiError internal() {
        return new ApiError(500, "internal_error", "Internal server error");
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

    public JsonObject details() {
        return details;
    }

    /** Seconds for the {@code Retry-After} header; 0 = no header. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The {@code {"code","message","details"}} object of the envelope (also used in batch results). */
    public JsonObject toJson() {
        return JsonObject.builder().put("code", code).put("message", getMessage()).put("details", details).build();
    }
}
