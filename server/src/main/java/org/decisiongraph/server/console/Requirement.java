package org.decisiongraph.server.console;

import java.util.Objects;

import org.decisiongraph.server.api.Access;

/**
 * What a console page or action needs in the selected tenant, as in the API's authorization matrix (platform spec
 * 2.3): one of the roles of {@code access} and, when not null, {@code permission}.
 */
public record Requirement(Access access, String permission) {
    public static final Requirement READER = new Requirement(Access.READER, null);
    public static final Requirement WRITER = new Requirement(Access.WRITER, null);
    public static final Requirement ADMIN = new Requirement(Access.ADMIN, null);

    public Requirement {
        Objects.requireNonNull(access, "access");
        if (!access.usesAccounts()) {
            throw new IllegalArgumentException("console requirements use the reader, writer or admin role sets");
        }
    }

    public static Requirement admin(String permission) {
        return new Requirement(Access.ADMIN, permission);
    }

    public static Requirement writer(String permission) {
        return new Requirement(Access.WRITER, permission);
    }

    /** Whether the session's user meets this in {@code tenant}. */
    public boolean allows(ConsoleSession session, String tenant) {
        if (!session.isMember(tenant)) {
            return false;
        }
        boolean role = session.roles(tenant).stream().anyMatch(access.roles()::contains);
        return role && (permission == null || session.hasPermission(tenant, permission));
    }

    /** The denial text, in the API's wording. */
    public String denial(ConsoleSession session, String tenant) {
        if (!session.isMember(tenant)) {
            return "User is not a member of tenant " + tenant;
        }
        if (session.roles(tenant).stream().noneMatch(access.roles()::contains)) {
            return "User role is not allowed for this page";
        }
        return "User lacks " + permission + " permission";
    }
}
