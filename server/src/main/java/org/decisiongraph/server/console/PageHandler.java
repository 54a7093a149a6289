package org.decisiongraph.server.console;

/** Answers one console request: returns the HTML (a whole page or a fragment), or null after {@link PageRequest#redirect}. */
@FunctionalInterface
public interface PageHandler {
    String handle(PageRequest request) throws Exception;
}
