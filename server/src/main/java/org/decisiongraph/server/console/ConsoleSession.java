package org.decisiongraph.server.console;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.decisiongraph.store.access.ConsoleLogin;
import org.decisiongraph.store.access.ConsoleUser;
import org.decisiongraph.store.access.ServiceAccount;

/** A logged-in console user and its login record; roles and permissions are per tenant (membership of it or of "*"). */
public record ConsoleSession(ConsoleUser user, ConsoleLogin login) {
    public String userId() {
        return user.userId();
    }

    public String csrfToken() {
        return login.csrfToken();
    }

    public boolean isMember(String tenant) {
        return user.memberships().stream().anyMatch(m -> m.tenantId().equals(tenant) || m.tenantId().equals(ServiceAccount.ALL));
    }

    /** The roles the user holds in {@code tenant} (sorted). */
    public List<String> roles(String tenant) {
        Set<String> out = new TreeSet<>();
        for (ConsoleUser.Membership m : user.memberships()) {
            if (m.tenantId().equals(tenant) || m.tenantId().equals(ServiceAccount.ALL)) {
                out.addAll(m.roles());
            }
        }
        return List.copyOf(out);
    }

    /** The permissions the user holds in {@code tenant} (sorted; may contain "*"). */
    public List<String> permissions(String tenant) {
        Set<String> out = new TreeSet<>();
        for (ConsoleUser.Membership m : user.memberships()) {
            if (m.tenantId().equals(tenant) || m.tenantId().equals(ServiceAccount.ALL)) {
                out.addAll(m.permissions());
            }
        }
        return List.copyOf(out);
    }

    public boolean hasRole(String tenant, String role) {
        return roles(tenant).contains(role);
    }

    public boolean hasPermission(String tenant, String permission) {
        List<String> p = permissions(tenant);
        return p.contains(ServiceAccount.ALL) || p.contains(permission);
    }

    /** The tenants named in the user's memberships (without "*"), in order; the tenant picker's list. */
    public List<String> namedTenants() {
        Set<String> out = new LinkedHashSet<>();
        for (ConsoleUser.Membership m : user.memberships()) {
            if (!m.tenantId().equals(ServiceAccount.ALL)) {
                out.add(m.tenantId());
            }
        }
        return List.copyOf(out);
    }

    public boolean isPlatformAdmin() {
        return user.memberships().stream().anyMatch(m -> m.tenantId().equals(ServiceAccount.ALL) && m.roles().contains("admin"));
    }
}
