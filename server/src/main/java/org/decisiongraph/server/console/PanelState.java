package org.decisiongraph.server.console;

/**
 * The state of one console panel (platform spec 4.5): {@code ready} shows its content; {@code empty} an empty-state
 * card; {@code stale} the projection-lag message (409 text {@code Projections at log_seq=<c>, events at <l>});
 * {@code unavailable} an error card; {@code loading} a placeholder that htmx replaces. Rendered by
 * {@code partials/panel.jte}.
 */
public record PanelState(String kind, String message) {
    public static final PanelState READY = new PanelState("ready", null);

    public static PanelState empty(String message) {
        return new PanelState("empty", message);
    }

    public static PanelState stale(String message) {
        return new PanelState("stale", message);
    }

    public static PanelState unavailable(String message) {
        return new PanelState("unavailable", message);
    }

    public static PanelState loading(String message) {
        return new PanelState("loading", message);
    }

    public boolean ready() {
        return "ready".equals(kind);
    }
}
