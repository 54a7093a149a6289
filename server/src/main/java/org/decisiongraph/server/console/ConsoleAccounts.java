package org.decisiongraph.server.console;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.ConsoleUser;
import org.decisiongraph.store.access.ConsoleUsers;
import org.decisiongraph.store.access.ServiceAccount;

/**
 * Creating console users and granting tenant memberships (used by {@code dg users} and the admin page).
 * Validation errors are {@link IllegalArgumentException}s with a message for the operator.
 */
public final class ConsoleAccounts {
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final Pattern TENANT = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final ConsoleUsers users;
    private final PasswordHasher hasher;
    private final Clock clock;

    public ConsoleAccounts(Database db, PasswordHasher hasher, Clock clock) {
        this.users = new ConsoleUsers(Objects.requireNonNull(db, "db"));
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The permissions a role gets when none are given: admin all seven, writer workflow review and assign, reader none. */
    public static List<String> defaultPermissions(String role) {
        return switch (role) {
            case "admin" -> Permissions.ALL;
            case "writer" -> List.of(Permissions.WORKFLOW_REVIEW, Permissions.WORKFLOW_ASSIGN);
            default -> List.of();
        };
    }

    /** Creates a user with one membership; false when the user id exists (nothing written). */
    public boolean create(String userId, String displayName, String password, String tenant, List<String> roles,
                          List<String> permissions) {
        ConsoleUser.Membership m = membership(tenant, roles, permissions);
        checkUserId(userId);
        checkPassword(password);
        ConsoleUser user = new ConsoleUser(userId, displayName, hasher.hash(password), ConsoleUser.ACTIVE, clock.instant(), null,
                0, null, List.of(m));
        return users.create(user);
    }

    /** Adds or replaces the user's membership of {@code tenant}; false when the user does not exist. */
    public boolean grant(String userId, String tenant, List<String> roles, List<String> permissions) {
        return users.putMembership(userId, membership(tenant, roles, permissions));
    }

    /** Sets a new password (deleting the user's logins); false when the user does not exist. */
    public boolean setPassword(String userId, String password) {
        checkPassword(password);
        return users.setPassword(userId, hasher.hash(password));
    }

    public List<ConsoleUser> list() {
        return users.list();
    }

    static void checkUserId(String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw new IllegalArgumentException("user name must be 1-128 characters of letters, digits, '.', '_', '@' or '-'");
        }
    }

    static void checkPassword(String password) {
        if (password == null || password.codePointCount(0, password.length()) < PasswordHasher.MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password must be at least " + PasswordHasher.MIN_PASSWORD_LENGTH + " characters");
        }
    }

    private static ConsoleUser.Membership membership(String tenant, List<String> roles, List<String> permissions) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must be '*' or 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("at least one role is required (reader, writer, admin)");
        }
        for (String r : roles) {
            if (!Permissions.ROLES.contains(r)) {
                throw new IllegalArgumentException("role must be reader, writer or admin, got '" + r + "'");
            }
        }
        List<String> perms = new ArrayList<>();
        if (permissions == null || permissions.isEmpty()) {
            for (String r : roles) {
                defaultPermissions(r).stream().filter(p -> !perms.contains(p)).forEach(perms::add);
            }
        } else {
            for (String p : permissions) {
                if (!ServiceAccount.ALL.equals(p) && !Permissions.ALL.contains(p)) {
                    throw new IllegalArgumentException("unknown permission '" + p + "' (one of " + String.join(", ", Permissions.ALL) + " or *)");
                }
                perms.add(p);
            }
        }
        return new ConsoleUser.Membership(tenant, roles, perms);
    }
}
