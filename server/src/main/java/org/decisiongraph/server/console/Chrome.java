package org.decisiongraph.server.console;

import java.util.List;

/**
 * What the layout template shows around every page: title, user, the selected tenant and the user's tenants (the
 * tenant picker), the navigation, the CSRF token (meta tag for htmx and hidden form fields), and whether the page
 * subscribes to the live stream.
 */
public record Chrome(String title, String userId, String tenant, List<String> tenants, List<NavLink> nav, String csrf,
                     String currentPath, boolean live, String flash, String flashKind) {
    /** One navigation entry. */
    public record NavLink(String label, String href, boolean active) {
    }

    public Chrome {
        tenants = List.copyOf(tenants);
        nav = List.copyOf(nav);
    }

    /** The chrome of a page shown without a login (login form, error pages). */
    public static Chrome anonymous(String title) {
        return new Chrome(title, null, null, List.of(), List.of(), null, "/", false, null, null);
    }

    public boolean loggedIn() {
        return userId != null;
    }

    /** The stream URL for {@code sse-connect}. */
    public String streamUrl() {
        return "/console/stream?tenant=" + Urls.encode(tenant);
    }

    /** {@code path} with the tenant parameter (the tenant picker keeps the current page). */
    public String withTenant(String path, String otherTenant) {
        return Urls.withQuery(path, "tenant", otherTenant);
    }
}
