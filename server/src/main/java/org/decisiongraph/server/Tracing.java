package org.decisiongraph.server;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.decisiongraph.projection.runtime.SyncTracer;

/**
 * OpenTelemetry tracing of the service (off by default): one {@code SERVER} span per HTTP request
 * ({@code "<METHOD> <route>"}), a {@code dg.append} span around the appends of a request, and a
 * {@code dg.projection.catch_up} span for each worker catch-up that serves the append's signal (a child of the
 * append span, on a worker thread). {@link #fromEnv} reads {@code DG_OTEL_EXPORTER} = {@code none} (default),
 * {@code logging} (spans as log lines) or {@code otlp} (OTLP over HTTP to {@code DG_OTEL_ENDPOINT}, default
 * {@code http://localhost:4318/v1/traces}). When off, the no-op API records nothing and allocates no spans.
 */
public final class Tracing implements SyncTracer, AutoCloseable {
    public static final AttributeKey<String> TENANT = AttributeKey.stringKey("dg.tenant");
    public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    public static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("dg.request_id");
    public static final AttributeKey<Long> EVENT_COUNT = AttributeKey.longKey("dg.event_count");
    public static final AttributeKey<Long> APPENDED = AttributeKey.longKey("dg.appended");
    public static final AttributeKey<String> PROJECTION = AttributeKey.stringKey("dg.projection");
    public static final AttributeKey<Long> CURSOR = AttributeKey.longKey("dg.cursor");
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("dg.error_code");
    public static final String DEFAULT_OTLP_ENDPOINT = "http://localhost:4318/v1/traces";

    /** Tracing off. */
    public static final Tracing NONE = new Tracing(OpenTelemetry.noop(), false, null);

    private final Tracer tracer;
    private final boolean enabled;
    private final OpenTelemetrySdk sdk;

    private Tracing(OpenTelemetry otel, boolean enabled, OpenTelemetrySdk sdk) {
        this.tracer = otel.getTracer("org.decisiongraph.server", DgServer.VERSION);
        this.enabled = enabled;
        this.sdk = sdk;
    }

    /** Traces through {@code otel} (tests pass an SDK with an in-memory exporter); the caller owns it. */
    public static Tracing of(OpenTelemetry otel) {
        return new Tracing(Objects.requireNonNull(otel, "otel"), true, null);
    }

    /** From {@code DG_OTEL_EXPORTER} and {@code DG_OTEL_ENDPOINT}; unknown values fail with the variable's name. */
    public static Tracing fromEnv(Map<String, String> env, String serviceName) {
        String exporter = env.getOrDefault(Setting.DG_OTEL_EXPORTER.key(), "none").strip().toLowerCase(Locale.ROOT);
        SpanExporter spans = switch (exporter) {
            case "", "none" -> null;
            case "logging" -> LoggingSpanExporter.create();
            case "otlp" -> OtlpHttpSpanExporter.builder()
                    .setEndpoint(env.getOrDefault(Setting.DG_OTEL_ENDPOINT.key(), DEFAULT_OTLP_ENDPOINT).strip())
                    .build();
            default -> throw new IllegalArgumentException("DG_OTEL_EXPORTER must be none, logging or otlp, got '"
                    + env.get("DG_OTEL_EXPORTER") + "' (default none)");
        };
        if (spans == null) {
            return NONE;
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), serviceName))))
                .addSpanProcessor("logging".equals(exporter) ? SimpleSpanProcessor.create(spans)
                        : BatchSpanProcessor.builder(spans).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        return new Tracing(sdk, true, sdk);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Makes {@code span} current; nothing to do (no context allocation) when tracing is off. */
    public io.opentelemetry.context.Scope makeCurrent(io.opentelemetry.api.trace.Span span) {
        return enabled ? span.makeCurrent() : io.opentelemetry.context.Scope.noop();
    }

    /** Starts the span of one HTTP request (not current yet). */
    public io.opentelemetry.api.trace.Span request(String method, String route) {
        if (!enabled) {
            return io.opentelemetry.api.trace.Span.getInvalid();
        }
        return tracer.spanBuilder(method + " " + route).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method).setAttribute(ROUTE, route).startSpan();
    }

    /** Starts the {@code dg.append} span of a request's appends, under the current span. */
    public io.opentelemetry.api.trace.Span append(String tenant, long events) {
        if (!enabled) {
            return io.opentelemetry.api.trace.Span.getInvalid();
        }
        return tracer.spanBuilder("dg.append").setSpanKind(SpanKind.INTERNAL)
                .setAttribute(TENANT, tenant).setAttribute(EVENT_COUNT, events).startSpan();
    }

    // --- SyncTracer (the projection runtime's catch-ups) -----------------------------------------------

    @Override
    public Object capture() {
        if (!enabled) {
            return null;
        }
        Context current = Context.current();
        return io.opentelemetry.api.trace.Span.fromContext(current).getSpanContext().isValid() ? current : null;
    }

    @Override
    public SyncTracer.Span start(String tenant, String projection, Object parent) {
        return start(tenant, projection, parent, java.time.Instant.now());
    }

    @Override
    public SyncTracer.Span start(String tenant, String projection, Object parent, java.time.Instant startedAt) {
        if (!(parent instanceof Context context)) {
            return SyncTracer.Span.NONE; // only catch-ups that serve a traced signal are traced
        }
        long startNanos = TimeUnit.SECONDS.toNanos(startedAt.getEpochSecond()) + startedAt.getNano();
        // the span is created when the catch-up ends, and only if it committed events or failed: a signal served
        // by an earlier catch-up (nothing left to do) leaves no empty span behind
        return (processed, cursor, errorCode) -> {
            if (processed == 0 && errorCode == null) {
                return;
            }
            io.opentelemetry.api.trace.Span span = tracer.spanBuilder("dg.projection.catch_up").setParent(context)
                    .setSpanKind(SpanKind.INTERNAL).setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                    .setAttribute(TENANT, tenant).setAttribute(PROJECTION, projection)
                    .setAttribute(EVENT_COUNT, processed).setAttribute(CURSOR, cursor).startSpan();
            if (errorCode != null) {
                span.setAttribute(ERROR_CODE, errorCode);
                span.setStatus(StatusCode.ERROR, errorCode);
            }
            span.end();
        };
    }

    /** Flushes and shuts the exporter down (nothing to do when off or when the SDK belongs to the caller). */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
