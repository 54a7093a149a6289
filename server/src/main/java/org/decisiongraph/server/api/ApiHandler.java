package org.decisiongraph.server.api;

/** The body of one route: reads the call, answers a reply or throws ({@link ApiError}, {@code DgException}). */
@FunctionalInterface
public interface ApiHandler {
    Reply handle(Call call) throws Exception;
}
