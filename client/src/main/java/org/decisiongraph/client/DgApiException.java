package org.decisiongraph.client;

import java.util.Optional;

import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.json.JsonObject;

/** An error answer of the API: HTTP status, API code, message, details and request id. */
public final class DgApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String apiCode;
    private final transient JsonObject details;
    private final String requestId;

    public DgApiException(int status, String apiCode, String message, JsonObject details, String requestId) {
        super(apiCode + ": " + message, null, false, false);
        this.status = status;
        this.apiCode = apiCode;
        this.details = details == null ? JsonObject.empty() : details;
        this.requestId = requestId;
    }

    public int status() {
        return status;
    }

    /** {@code invalid_argument}, {@code unauthorized}, {@code rate_limited}, ... */
    public String apiCode() {
        return apiCode;
    }

    /** The message without the code. */
    public String apiMessage() {
        String m = getMessage();
        return m.substring(apiCode.length() + 2);
    }

    public JsonObject details() {
        return details;
    }

    public String requestId() {
        return requestId;
    }

    /** The domain error code, when the API code is one of the nine. */
    public Optional<ErrorCode> errorCode() {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.apiCode().equals(apiCode)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Worth retrying the same request: storage trouble, rate limits, server errors. */
    public boolean isTransient() {
        return status == 503 || status == 429 || status == 502 || status == 504;
    }
}
