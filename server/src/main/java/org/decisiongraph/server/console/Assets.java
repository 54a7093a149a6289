package org.decisiongraph.server.console;

/** URLs of the console's scripts and style sheet (htmx and its SSE extension come from webjars). */
public final class Assets {
    public static final String HTMX = "/webjars/htmx.org/2.0.10/dist/htmx.min.js";
    public static final String HTMX_SSE = "/webjars/htmx-ext-sse/2.2.2/sse.js";
    public static final String CSS = Console.STATIC_PREFIX + "console.css";
    public static final String JS = Console.STATIC_PREFIX + "console.js";

    private Assets() {
    }
}
