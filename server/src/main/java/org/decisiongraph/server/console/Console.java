package org.decisiongraph.server.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.server.api.RouteGroup;
import org.decisiongraph.server.api.Routes;
import org.decisiongraph.server.api.Services;
import org.decisiongraph.server.api.StreamHub;
import org.decisiongraph.server.auth.RateLimiter;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.access.ConsoleUsers;
import org.decisiongraph.workflow.Workflows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console (platform spec 4, 2.7): server-rendered HTML (JTE templates, htmx fragments), login with
 * console users, and live updates relayed from the {@link StreamHub} over {@code GET /console/stream}. Page groups
 * ({@link ConsolePages}) register pages, fragments, actions and navigation entries through {@link #page},
 * {@link #fragment}, {@link #action} and {@link #nav}; the console checks the login, the tenant membership and the
 * page's {@link Requirement} before a handler runs, and the CSRF token and origin before an action runs.
 */
public final class Console implements RouteGroup {
    /** Open live streams per user and tenant (tabs, plus streams of pages just left that the server has not noticed). */
    static final int MAX_LIVE_STREAMS_PER_USER = 20;
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    static final String CSP = "default-src 'self'; frame-ancestors 'none'";
    static final String AUTH_SCOPE = "auth"; // the API's failed-authentication window per client address
    static final String STATIC_PREFIX = "/console/static/";
    private static final Map<String, String> STATIC = Map.of("console.css", "text/css", "console.js", "text/javascript");

    /** One navigation entry; shown to users who meet its requirement in the selected tenant. */
    record NavEntry(String label, String path, Requirement requirement) {
    }

    private final ConsoleConfig config;
    private final ProjectionRuntime runtime;
    private final StreamHub hub;
    private final Workflows workflows;
    private final List<ConsolePages> groups;
    private final Templates templates = new Templates();
    private final List<NavEntry> nav = new ArrayList<>();
    private final Map<String, byte[]> staticFiles = new HashMap<>();
    private Routes routes;
    private Services services;
    private ConsoleAuth auth;

    /**
     * @param runtime   the projection runtime (null: projection-backed panels show {@code unavailable})
     * @param hub       the live stream hub (null: no live updates)
     * @param workflows the workflow runtime (null: workflow panels show {@code unavailable})
     * @param groups    the page groups, registered in order (their nav entries in that order)
     */
    public Console(ConsoleConfig config, ProjectionRuntime runtime, StreamHub hub, Workflows workflows, List<ConsolePages> groups) {
        this.config = config;
        this.runtime = runtime;
        this.hub = hub;
        this.workflows = workflows;
        this.groups = List.copyOf(groups);
        if (runtime != null) {
            runtime.addListener(new org.decisiongraph.projection.runtime.RuntimeListener() {
                @Override
                public void verificationFinished(String tenant, String result) {
                    signal(tenant, "digest_verification");
                }
            });
        }
    }

    private final Map<String, Set<java.util.concurrent.BlockingQueue<String>>> signals = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Sends a console-only frame {@code event: <event>} to the tenant's console streams (for changes the API stream does
     * not carry, e.g. a finished digest verification); pages name it in {@code hx-trigger="sse:<event>"}.
     */
    public void signal(String tenant, String event) {
        for (var q : signals.getOrDefault(tenant, Set.of())) {
            q.offer("event: " + event + "\ndata: {}\n\n");
        }
    }

    @Override
    public void register(Routes r) {
        this.routes = r;
        this.services = r.services();
        this.auth = new ConsoleAuth(new ConsoleUsers(services.db()), services.access(), PasswordHasher.DEFAULT, config,
                services.clock());
        for (String name : STATIC.keySet()) {
            staticFiles.put(name, resource("/console/" + name));
        }
        r.addPage(HandlerType.GET, "/login", this::loginForm);
        r.addPage(HandlerType.POST, "/login", this::loginSubmit);
        r.addPage(HandlerType.POST, "/logout", this::logout);
        r.addPage(HandlerType.GET, STATIC_PREFIX + "{name}", this::staticFile);
        r.addPage(HandlerType.GET, "/console/stream", this::stream);
        for (ConsolePages g : groups) {
            g.register(this);
        }
    }

    // --- the registration API of page groups -------------------------------------------------------------

    /** Adds a navigation entry (after the existing ones). */
    public void nav(String label, String path, Requirement requirement) {
        nav.add(new NavEntry(label, path, requirement));
    }

    /** A whole page ({@code GET}); without a login the browser is sent to {@code /login}. */
    public void page(String path, Requirement requirement, PageHandler handler) {
        routes.addPage(HandlerType.GET, path, ctx -> serve(ctx, requirement, handler, Kind.PAGE));
    }

    /** An htmx fragment ({@code GET}); without a login the answer is 401 with {@code HX-Redirect: /login}. */
    public void fragment(String path, Requirement requirement, PageHandler handler) {
        routes.addPage(HandlerType.GET, path, ctx -> serve(ctx, requirement, handler, Kind.FRAGMENT));
    }

    /**
     * A state-changing form post ({@code POST}): same-origin {@code Origin}/{@code Referer}, the login's CSRF token
     * ({@code _csrf} field or {@code X-CSRF-Token} header), the requirement, and the API's rate limit for the
     * requirement's scope per {@code user:<id>:<tenant>}; then the handler (which audits what it does).
     */
    public void action(String path, Requirement requirement, PageHandler handler) {
        routes.addPage(HandlerType.POST, path, ctx -> serve(ctx, requirement, handler, Kind.ACTION));
    }

    public Services services() {
        return services;
    }

    /** The projection runtime, or null when the server runs without one. */
    public ProjectionRuntime runtime() {
        return runtime;
    }

    /** The workflow runtime, or null. */
    public Workflows workflows() {
        return workflows;
    }

    public StreamHub hub() {
        return hub;
    }

    Templates templates() {
        return templates;
    }

    ConsoleAuth auth() {
        return auth;
    }

    // --- request handling --------------------------------------------------------------------------------

    private enum Kind { PAGE, FRAGMENT, ACTION }

    private void serve(Context ctx, Requirement requirement, PageHandler handler, Kind kind) throws IOException {
        headers(ctx);
        String requestId = requestId(ctx);
        String address = clientAddress(ctx);
        Optional<ConsoleSession> session = session(ctx);
        if (session.isEmpty()) {
            if (kind == Kind.PAGE) {
                ctx.redirect(Urls.of("/login", "next", pathAndQuery(ctx)));
            } else {
                ctx.header("HX-Redirect", "/login");
                error(ctx, 401, "Login required", "Your console login has ended. Log in again.");
            }
            return;
        }
        ConsoleSession s = session.get();
        String tenant = selectedTenant(ctx, s, kind == Kind.ACTION);
        if (kind == Kind.ACTION) {
            String problem = csrfProblem(ctx, s);
            if (problem != null) {
                deny(ctx, s, tenant, requestId, address, problem, "csrf");
                return;
            }
        }
        if (!requirement.allows(s, tenant)) {
            deny(ctx, s, tenant, requestId, address, requirement.denial(s, tenant), s.isMember(tenant) ? "permission" : "tenant");
            return;
        }
        if (kind == Kind.ACTION) {
            RateLimiter.Decision d = services.limiter().acquire(requirement.access().rateScope(), "user:" + s.userId() + ":" + tenant, 1,
                    limit(requirement));
            if (!d.allowed()) {
                ctx.header("Retry-After", Long.toString(d.retryAfterSeconds()));
                error(ctx, 429, "Too many requests", "Rate limit exceeded for " + requirement.access().rateScope()
                        + " API scope. Try again in " + d.retryAfterSeconds() + " s.");
                return;
            }
        }
        PageRequest request = new PageRequest(this, ctx, s, tenant, requestId, address);
        String html;
        try {
            html = handler.handle(request);
        } catch (Exception e) {
            LOG.error("console_page_failed path={}", ctx.path(), e);
            error(ctx, 500, "Something went wrong", "The console could not answer this request (request id " + requestId + ").");
            return;
        }
        if (html != null) {
            ctx.contentType("text/html; charset=utf-8");
            ctx.result(html);
        }
    }

    private int limit(Requirement requirement) {
        var limits = services.config().rateLimits();
        return switch (requirement.access().rateScope()) {
            case "read" -> limits.read();
            case "write" -> limits.write();
            default -> limits.admin();
        };
    }

    /** The {@code tenant} parameter (query, or form field for posts); blank → the user's default tenant. */
    private static String selectedTenant(Context ctx, ConsoleSession s, boolean form) {
        String t = ctx.queryParam("tenant");
        if ((t == null || t.isBlank()) && form) {
            t = ctx.formParam("tenant");
        }
        if (t != null && !t.isBlank()) {
            return t.strip();
        }
        List<String> named = s.namedTenants();
        if (named.contains("default") || s.isMember("default") || named.isEmpty()) {
            return "default";
        }
        return named.getFirst();
    }

    private String csrfProblem(Context ctx, ConsoleSession s) {
        if (!sameOrigin(ctx)) {
            return "Cross-origin form post refused";
        }
        String token = ctx.header("X-CSRF-Token");
        if (token == null || token.isBlank()) {
            token = ctx.formParam("_csrf");
        }
        return ConsoleAuth.csrfMatches(s, token) ? null : "Missing or invalid CSRF token";
    }

    /** {@code Origin} (or else {@code Referer}) names this host. */
    static boolean sameOrigin(Context ctx) {
        String host = ctx.header("Host");
        String source = ctx.header("Origin");
        if (source == null || source.isBlank() || "null".equals(source)) {
            source = ctx.header("Referer");
        }
        if (host == null || source == null || source.isBlank()) {
            return false;
        }
        try {
            URI u = URI.create(source.strip());
            String authority = u.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void deny(Context ctx, ConsoleSession s, String tenant, String requestId, String address, String message, String step) {
        try {
            services.access().appendAudit(new AuditRecord(s.isMember(tenant) ? tenant : null, services.clock().instant(), "user",
                    s.userId(), s.roles(tenant), "auth_denied", "route", ctx.method().name() + " " + ctx.path(), "denied",
                    message, "forbidden", requestId, address, JsonObject.builder().put("step", step).put("tenant_id", tenant).build()));
        } catch (RuntimeException e) {
            LOG.error("audit_write_failed action=auth_denied", e);
        }
        error(ctx, 403, "Access denied", message);
    }

    void error(Context ctx, int status, String title, String message) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", Chrome.anonymous(title));
        params.put("model", new ErrorView(status, title, message));
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(templates.render("error.jte", params));
    }

    /** The error page's model. */
    public record ErrorView(int status, String title, String message) {
    }

    /** The chrome of a page for this request (navigation filtered by the user's rights in the tenant). */
    Chrome chrome(PageRequest r, String title) {
        List<Chrome.NavLink> links = new ArrayList<>();
        String current = r.context().path();
        for (NavEntry e : nav) {
            if (e.requirement().allows(r.session(), r.tenant())) {
                boolean active = e.path().equals("/") ? current.equals("/") : current.startsWith(e.path());
                links.add(new Chrome.NavLink(e.label(), Urls.withQuery(e.path(), "tenant", r.tenant()), active));
            }
        }
        List<String> tenants = new ArrayList<>(r.session().namedTenants());
        if (!tenants.contains(r.tenant())) {
            tenants.add(r.tenant());
        }
        return new Chrome(title, r.userId(), r.tenant(), tenants, links, r.session().csrfToken(), current, hub != null, null, null);
    }

    private Optional<ConsoleSession> session(Context ctx) {
        String value = ctx.cookie(config.cookieName());
        return value == null ? Optional.empty() : auth.resolve(value);
    }

    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
        if ("https".equalsIgnoreCase(ctx.scheme())) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }

    private static String pathAndQuery(Context ctx) {
        String q = ctx.queryString();
        return q == null || q.isEmpty() ? ctx.path() : ctx.path() + "?" + q;
    }

    private static String requestId(Context ctx) {
        String id = ctx.res().getHeader("x-request-id");
        return id == null ? "console" : id;
    }

    private String clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (services.config().trustedProxies().contains(peer)) {
            String xff = ctx.header("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                return xff.split(",")[0].strip();
            }
        }
        return peer;
    }

    // --- login and logout ----------------------------------------------------------------------------------

    /** The login form's model. */
    public record LoginView(String next, String error, String userId) {
    }

    private void loginForm(Context ctx) {
        headers(ctx);
        if (session(ctx).isPresent()) {
            ctx.redirect(safeNext(ctx.queryParam("next")));
            return;
        }
        renderLogin(ctx, 200, new LoginView(safeNext(ctx.queryParam("next")), null, ""));
    }

    private void renderLogin(Context ctx, int status, LoginView view) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", Chrome.anonymous("Log in"));
        params.put("model", view);
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(templates.render("login.jte", params));
    }

    private void loginSubmit(Context ctx) {
        headers(ctx);
        String address = clientAddress(ctx);
        String requestId = requestId(ctx);
        String userId = ctx.formParam("username");
        String next = safeNext(ctx.formParam("next"));
        if (!sameOrigin(ctx)) {
            auth.audit(null, userId, List.of(), "auth_denied", "denied", "Cross-origin form post refused", "csrf", requestId, address);
            error(ctx, 403, "Access denied", "Cross-origin form post refused");
            return;
        }
        RateLimiter.Decision gate = services.limiter().check(AUTH_SCOPE, address, services.config().rateLimits().authFailures());
        if (!gate.allowed()) {
            ctx.header("Retry-After", Long.toString(gate.retryAfterSeconds()));
            renderLogin(ctx, 429, new LoginView(next, "Too many failed logins from this address. Try again in "
                    + gate.retryAfterSeconds() + " s.", userId == null ? "" : userId));
            return;
        }
        ConsoleAuth.LoginResult result = auth.login(userId, ctx.formParam("password"), address, requestId);
        if (!result.ok()) {
            services.limiter().record(AUTH_SCOPE, address);
            renderLogin(ctx, 401, new LoginView(next, result.error(), userId == null ? "" : userId));
            return;
        }
        Cookie cookie = new Cookie(config.cookieName(), result.loginId());
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSecure(config.secureCookie());
        cookie.setSameSite(SameSite.LAX);
        cookie.setMaxAge((int) config.absoluteLifetime().toSeconds());
        ctx.cookie(cookie);
        ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        headers(ctx);
        Optional<ConsoleSession> s = session(ctx);
        if (s.isPresent()) {
            String problem = csrfProblem(ctx, s.get());
            if (problem != null) {
                deny(ctx, s.get(), selectedTenant(ctx, s.get(), true), requestId(ctx), clientAddress(ctx), problem, "csrf");
                return;
            }
            auth.logout(s.get(), clientAddress(ctx), requestId(ctx));
        }
        Cookie gone = new Cookie(config.cookieName(), "");
        gone.setPath("/");
        gone.setHttpOnly(true);
        gone.setSecure(config.secureCookie());
        gone.setSameSite(SameSite.LAX);
        gone.setMaxAge(0);
        ctx.cookie(gone);
        ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Only local paths are followed after login (no open redirect). */
    static String safeNext(String next) {
        if (next == null || next.isBlank() || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.startsWith("/login") || next.length() > 2000) {
            return "/";
        }
        return next;
    }

    // --- static files and the live stream -----------------------------------------------------------------

    private void staticFile(Context ctx) {
        String name = ctx.pathParam("name");
        byte[] body = staticFiles.get(name);
        if (body == null) {
            ctx.status(404).contentType("text/plain").result("not found");
            return;
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(STATIC.get(name) + "; charset=utf-8");
        ctx.result(body);
    }

    private static byte[] resource(String path) {
        try (InputStream in = Console.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing console resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read console resource " + path, e);
        }
    }

    /**
     * {@code GET /console/stream?tenant=<t>}: the hub's frames for the tenant ({@code event_appended},
     * {@code projection_health}, {@code replay_run}, {@code workflow_changed}); the page's htmx triggers name the
     * sections each frame re-renders. A comment every second finds clients that went away.
     */
    private void stream(Context ctx) throws IOException {
        headers(ctx);
        Optional<ConsoleSession> session = session(ctx);
        if (session.isEmpty()) {
            error(ctx, 401, "Login required", "Your console login has ended. Log in again.");
            return;
        }
        ConsoleSession s = session.get();
        String tenant = selectedTenant(ctx, s, false);
        if (!Requirement.READER.allows(s, tenant)) {
            deny(ctx, s, tenant, requestId(ctx), clientAddress(ctx), Requirement.READER.denial(s, tenant), "tenant");
            return;
        }
        if (hub == null) {
            error(ctx, 503, "Live updates unavailable", "This server runs without the projection runtime.");
            return;
        }
        StreamHub.Subscriber sub;
        java.util.concurrent.BlockingQueue<String> local = new java.util.concurrent.LinkedBlockingQueue<>(1000);
        try {
            sub = hub.subscribe(tenant, "user:" + s.userId(), Set.copyOf(List.of("events", "health", "workflows", "runs")),
                    MAX_LIVE_STREAMS_PER_USER);
        } catch (RuntimeException e) {
            ctx.header("Retry-After", "1");
            error(ctx, 429, "Too many live streams", "Close another console tab and reload.");
            return;
        }
        signals.computeIfAbsent(tenant, t -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(local);
        try {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            OutputStream out = ctx.res().getOutputStream();
            write(out, "retry: 2000\n: connected\n\n");
            long lastWrite = System.nanoTime();
            long lastCheck = lastWrite;
            String cookie = ctx.cookie(config.cookieName());
            while (!hub.isClosed() && !sub.isClosed()) {
                String frame = local.poll();
                if (frame == null) {
                    frame = sub.next(250);
                }
                if (System.nanoTime() - lastCheck > 5_000_000_000L) {
                    lastCheck = System.nanoTime();
                    if (auth.resolve(cookie, false).isEmpty()) {
                        break; // logged out or expired: the stream ends
                    }
                }
                if (frame != null) {
                    write(out, frame);
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > 1_000_000_000L) {
                    write(out, ":\n\n");
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException e) {
            // the browser went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.unsubscribe(sub);
            signals.getOrDefault(tenant, Set.of()).remove(local);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
