package org.decisiongraph.server.console;

/**
 * A group of console pages: registers its pages, fragments, actions and navigation entries on the {@link Console}
 * (as the API's resources register on {@code Routes}).
 */
@FunctionalInterface
public interface ConsolePages {
    void register(Console console);
}
