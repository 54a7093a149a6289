package org.decisiongraph.server.api;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.decisiongraph.server.AppendHook;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.Tracing;
import org.decisiongraph.server.auth.Accounts;
import org.decisiongraph.server.auth.Authenticator;
import org.decisiongraph.server.auth.RateLimiter;
import org.decisiongraph.server.metrics.ServerMetrics;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.log.EventLog;

/** Everything a route needs, built once by the server. Thread-safe. */
public final class Services {
    private final Database db;
    private final EventLog log;
    private final AccessStore access;
    private final Accounts accounts;
    private final Authenticator authenticator;
    private final RateLimiter limiter;
    private final ServerMetrics metrics;
    private final ServerConfig config;
    private final Clock clock;
    private final AppendHook appendHook;
    private final AuditTrail audit;
    private final Set<String> knownTenants = ConcurrentHashMap.newKeySet();
    private final Tracing tracing;
    private final org.decisiongraph.core.validate.EventValidator validator;

    public Services(Database db, EventLog log, ServerConfig config, Clock clock, AppendHook appendHook, ServerMetrics metrics) {
        this(db, log, config, clock, appendHook, metrics, Tracing.NONE);
    }

    public Services(Database db, EventLog log, ServerConfig config, Clock clock, AppendHook appendHook, ServerMetrics metrics,
                    Tracing tracing) {
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.validator = new org.decisiongraph.core.validate.EventValidator(log.eventTypes());
        this.db = Objects.requireNonNull(db, "db");
        this.log = Objects.requireNonNull(log, "log");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.appendHook = Objects.requireNonNull(appendHook, "appendHook");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.access = new AccessStore(db);
        this.accounts = new Accounts(access, clock);
        this.authenticator = new Authenticator(access, clock);
        this.limiter = new RateLimiter(clock);
        this.audit = new AuditTrail(access, clock, metrics);
    }

    public Database db() {
        return db;
    }

    public EventLog log() {
        return log;
    }

    public AccessStore access() {
        return access;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public ServerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public AppendHook appendHook() {
        return appendHook;
    }

    /** The stateless event validator of the log's event types (one per server; it is stateless). */
    public org.decisiongraph.core.validate.EventValidator validator() {
        return validator;
    }

    public Tracing tracing() {
        return tracing;
    }

    public AuditTrail audit() {
        return audit;
    }

    /** Registers a tenant as {@code implicit} after its first successful append (once per process and tenant). */
    void tenantSeen(String tenant) {
        if (knownTenants.add(tenant)) {
            access.registerImplicitTenant(tenant, clock.instant());
        }
    }
}
