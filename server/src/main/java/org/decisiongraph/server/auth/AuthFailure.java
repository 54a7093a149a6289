package org.decisiongraph.server.auth;

import org.decisiongraph.store.access.ServiceAccount;

/**
 * A failed authentication or authorization step: the error the client sees, the step (for the audit
 * row and the {@code auth_denied} metric), the account when one was identified, and the internal reason
 * (never shown to the client: e.g. {@code revoked} vs {@code unknown} for step 4).
 */
public final class AuthFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String step;
    private final transient ServiceAccount account;
    private final String internalReason;

    AuthFailure(int status, String code, String message, String step, ServiceAccount account, String internalReason) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.step = step;
        this.account = account;
        this.internalReason = internalReason;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String step() {
        return step;
    }

    /** The identified account (steps 5 and 6), or null. */
    public ServiceAccount account() {
        return account;
    }

    public String internalReason() {
        return internalReason;
    }

    /** 401 failures (steps 2-4) count towards the failed-auth limit of the client address. */
    public boolean isAuthenticationFailure() {
        return status == 401;
    }
}
