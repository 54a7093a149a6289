package org.decisiongraph.server.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The service's meters (platform spec 6.3) in one Prometheus registry. Labels never carry ids of
 * traces, events or accounts; {@code tenant} is the only identifier used.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The meters of the hot paths, built once per tag combination (a builder and a registry lookup per call cost). */
    private final java.util.concurrent.ConcurrentHashMap<String, AppendMeters> appendMeters = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> httpTimers = new java.util.concurrent.ConcurrentHashMap<>();

    private record AppendMeters(Counter stop, Timer duration, DistributionSummary payload, Counter reuse) {
    }

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Gauge.builder("decision_graph.vm.memory.total", memory,
                        m -> m.getHeapMemoryUsage().getUsed() + m.getNonHeapMemoryUsage().getUsed())
                .baseUnit("bytes")
                .description("JVM heap + non-heap memory in use")
                .register(registry);
        Counter.builder("decision_graph.app.boot").register(registry).increment();
    }

    /** An append that stored ({@code appended}) or reused ({@code reused}) an event. */
    public void appendStop(String tenant, String eventType, String outcome, Duration duration, long payloadBytes) {
        AppendMeters m = appendMeters.computeIfAbsent(tenant + '\u0000' + eventType + '\u0000' + outcome, k -> new AppendMeters(
                Counter.builder("decision_graph.store.append.stop")
                        .tag("tenant", tenant).tag("event_type", eventType).tag("outcome", outcome)
                        .register(registry),
                Timer.builder("decision_graph.store.append.stop.duration")
                        .tag("event_type", eventType)
                        .publishPercentiles(0.5, 0.95, 0.99)
                        .publishPercentileHistogram()
                        .register(registry),
                DistributionSummary.builder("decision_graph.store.append.stop.payload")
                        .baseUnit("bytes").tag("event_type", eventType)
                        .register(registry),
                "reused".equals(outcome)
                        ? Counter.builder("decision_graph.store.idempotency.reuse").tag("tenant", tenant).register(registry)
                        : null));
        m.stop().increment();
        m.duration().record(duration);
        m.payload().record(payloadBytes);
        if (m.reuse() != null) {
            m.reuse().increment();
        }
    }

    /** A rejected append. */
    public void appendException(String eventType, String errorCode) {
        Counter.builder("decision_graph.store.append.exception")
                .tag("event_type", eventType == null ? "unknown" : eventType).tag("error_code", errorCode)
                .register(registry).increment();
    }

    /** Size of one batch append request. */
    public void batchSize(int events) {
        DistributionSummary.builder("decision_graph.api.batch.size")
                .baseUnit("events")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry).record(events);
    }

    /** One log read by a listing route. */
    public void readBatch(int events) {
        Counter.builder("decision_graph.store.read_batch.stop").register(registry).increment();
        DistributionSummary.builder("decision_graph.store.read_batch.stop.events").register(registry).record(events);
    }

    /** One HTTP request: route template (never the raw path), status, outcome. */
    public void httpRequest(String method, String route, int status, Duration duration) {
        httpTimers.computeIfAbsent(method + ' ' + route + ' ' + status, k -> Timer.builder("http.server.requests")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .register(registry)).record(duration);
    }

    public void rateLimited(String scope) {
        Counter.builder("decision_graph.rate_limited").tag("scope", scope).register(registry).increment();
    }

    public void authDenied(String reason) {
        Counter.builder("decision_graph.auth_denied").tag("reason", reason).register(registry).increment();
    }

    public void adminAudit(String action, String outcome) {
        Counter.builder("decision_graph.api.admin.audit").tag("action", action).tag("outcome", outcome)
                .register(registry).increment();
    }

    // --- projection runtime (platform spec 6.3) ---------------------------------------------------

    public void workerStarted(String projection) {
        Counter.builder("decision_graph.projector.worker.started").tag("projection", projection).register(registry).increment();
    }

    public void workerSynced(String projection, long processedEvents) {
        Counter.builder("decision_graph.projector.worker.sync").tag("projection", projection).register(registry).increment();
        Counter.builder("decision_graph.projector.worker.sync.processed_events").tag("projection", projection)
                .register(registry).increment(processedEvents);
    }

    public void workerException(String projection, String errorCode) {
        Counter.builder("decision_graph.projector.worker.exception").tag("projection", projection)
                .tag("error_code", errorCode).register(registry).increment();
    }

    public void replay(String mode, String status, double durationSeconds) {
        Counter.builder("decision_graph.projector.replay").tag("mode", mode).tag("status", status).register(registry).increment();
        if (!"started".equals(status)) {
            io.micrometer.core.instrument.Timer.builder("decision_graph.projector.replay.duration").tag("mode", mode)
                    .register(registry).record(java.time.Duration.ofNanos((long) (durationSeconds * 1e9)));
        }
    }

    public void digestVerification(String result) {
        Counter.builder("decision_graph.digest_verifications").tag("result", result).register(registry).increment();
    }

    /** Registers (once) a gauge read at scrape time; labels must have bounded cardinality. */
    public void gauge(String name, java.util.function.Supplier<Number> value, String... tags) {
        io.micrometer.core.instrument.Gauge.builder(name, value).tags(tags).strongReference(true).register(registry);
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    private static String outcome(int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        if (status >= 300) {
            return "REDIRECTION";
        }
        return status >= 200 ? "SUCCESS" : "INFORMATIONAL";
    }
}
