package org.decisiongraph.server.console;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.javalin.http.Context;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.api.Services;
import org.decisiongraph.store.access.AuditRecord;

/**
 * One authenticated console request: the user's session, the selected tenant (a membership of the user, checked
 * before the handler runs), parameters, rendering of pages and fragments, and audit rows for actions.
 */
public final class PageRequest {
    private final Console console;
    private final Context ctx;
    private final ConsoleSession session;
    private final String tenant;
    private final String requestId;
    private final String clientAddress;

    PageRequest(Console console, Context ctx, ConsoleSession session, String tenant, String requestId, String clientAddress) {
        this.console = console;
        this.ctx = ctx;
        this.session = session;
        this.tenant = tenant;
        this.requestId = requestId;
        this.clientAddress = clientAddress;
    }

    public Console console() {
        return console;
    }

    public Services services() {
        return console.services();
    }

    public Context context() {
        return ctx;
    }

    public ConsoleSession session() {
        return session;
    }

    public String userId() {
        return session.userId();
    }

    /** The selected tenant (the user is a member of it). */
    public String tenant() {
        return tenant;
    }

    public String requestId() {
        return requestId;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /** Whether the user meets {@code requirement} in the selected tenant (to show or hide controls). */
    public boolean can(Requirement requirement) {
        return requirement.allows(session, tenant);
    }

    /** A query parameter, stripped; null when absent or blank. */
    public String query(String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A query parameter as an int within [min, max]; {@code dflt} when absent or not a number. */
    public int queryInt(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Every value of a query parameter (repeated or comma-separated), blanks dropped. */
    public List<String> queryList(String name) {
        return ctx.queryParams(name).stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A form field, stripped; null when absent or blank. */
    public String form(String name) {
        String v = ctx.formParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Whether htmx sent the request (answer with a fragment rather than a whole page). */
    public boolean isHtmx() {
        return "true".equals(ctx.header("HX-Request"));
    }

    /** A whole page: {@code template} inside the layout; the template gets {@code chrome} and {@code model}. */
    public String page(String template, String title, Object model) {
        return render(template, console.chrome(this, title), model);
    }

    /** A fragment: {@code template} alone (for htmx swaps); it gets {@code chrome} and {@code model}. */
    public String fragment(String template, Object model) {
        return render(template, console.chrome(this, ""), model);
    }

    private String render(String template, Chrome chrome, Object model) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", chrome);
        params.put("model", model);
        return console.templates().render(template, params);
    }

    /** Answers with a redirect (303 after a POST, 302 otherwise); the handler then returns null. */
    public void redirect(String location) {
        if (isHtmx()) {
            ctx.header("HX-Redirect", location);
            ctx.status(204);
        } else {
            ctx.redirect(location, "POST".equals(ctx.method().name())
                    ? io.javalin.http.HttpStatus.SEE_OTHER : io.javalin.http.HttpStatus.FOUND);
        }
    }

    /** Writes an {@code audit_log} row for a console action by this user (actor kind {@code user}). */
    public void audit(String action, String outcome, String targetType, String targetId, String reason, String errorCode,
                      JsonObject details) {
        console.services().access().appendAudit(new AuditRecord(tenant, console.services().clock().instant(), "user",
                session.userId(), session.roles(tenant), action, targetType, targetId, outcome, reason, errorCode, requestId,
                clientAddress, details));
        console.services().metrics().adminAudit(action, outcome);
    }
}
