package org.decisiongraph.workflow;

import java.util.List;
import java.util.Objects;

/**
 * Who asks for a workflow action: a service account ({@code actorKind = service_account}) or a console
 * user ({@code user}), with roles and permissions, plus the request id and client address for the audit row.
 */
public record Caller(String accountId, String actorKind, List<String> roles, List<String> permissions, String requestId,
                     String clientAddress) {
    public static final String SERVICE_ACCOUNT = "service_account";
    public static final String USER = "user";

    public Caller {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(actorKind, "actorKind");
        roles = List.copyOf(roles);
        permissions = List.copyOf(permissions);
        Objects.requireNonNull(requestId, "requestId");
    }

    public boolean has(String permission) {
        return permissions.contains(permission) || permissions.contains("*");
    }

    /** The approver of a service-built ApprovalRecorded: role for accounts, person for users. */
    public String approverType() {
        return USER.equals(actorKind) ? "person" : "role";
    }
}
