package org.decisiongraph.core.error;

import java.util.Objects;

/**
 * The one exception type of DecisionGraph: a {@link ErrorCode} plus the specification's message text.
 * {@link #toString()} is {@code "<code>: <message>"}, like the reference's {@code str(error)}.
 */
public class DgException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String message;

    public DgException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.message = Objects.requireNonNull(message, "message");
    }

    public DgException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.message = Objects.requireNonNull(message, "message");
    }

    public ErrorCode code() {
        return code;
    }

    /** The message without the code prefix. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return code.name() + ": " + message;
    }
}
