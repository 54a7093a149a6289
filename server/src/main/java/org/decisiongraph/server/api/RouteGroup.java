package org.decisiongraph.server.api;

/**
 * A resource's routes. The server registers its own groups and any groups handed to it at creation
 * (projection-backed routes plug in this way), all through one {@link Routes} table.
 */
@FunctionalInterface
public interface RouteGroup {
    void register(Routes routes);
}
