package org.decisiongraph.server.console;

/** An alert card (platform spec 4.2): kind {@code info}, {@code warn} or {@code alert}. */
public record Alert(String kind, String title, String detail) {
}
