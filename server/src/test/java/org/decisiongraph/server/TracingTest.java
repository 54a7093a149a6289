package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.store.Database;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry spans of the service, exported to the SDK's in-memory exporter: HTTP request (SERVER) → {@code dg.append}
 * → one {@code dg.projection.catch_up} per projection worker (on a worker thread, a child of the append), with
 * tenant, route, status and event counts; and nothing at all when tracing is off (the default).
 */
class TracingTest {
    private static final List<String> PROJECTIONS = List.of("context_graph", "trace_summary", "precedent_index");

    private record Running(Database db, DgServer server, DgClient client) implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
            db.close();
        }
    }

    private static Running start(String backend, Tracing tracing) {
        Database db = "sqlite".equals(backend) ? TestDatabases.sqlite() : TestDatabases.postgres();
        // no safety-timer catch-ups: every catch-up serves a signal
        ProjectionService projections = ProjectionService.start(db, new ProjectionService.Options(true,
                RuntimeSettings.DEFAULTS.withPollIntervalMs(600_000), null), Clock.systemUTC(), tracing);
        DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0).withDeploymentEnv("test")
                        .withRateLimits(new ServerConfig.RateLimits(100_000, 100_000, 100_000, 100_000)), Clock.systemUTC(),
                projections.extensions(), tracing).start();
        String token = server.services().accounts().create("tracer", null, List.of("admin", "writer", "reader"), List.of(),
                List.of("*"), null, "test").orElseThrow().key().token();
        DgClient client = new DgClient(URI.create("http://127.0.0.1:" + server.port()), token, "traced", 1,
                Duration.ofMillis(10));
        return new Running(db, server, client);
    }

    private static List<SpanData> await(InMemorySpanExporter exporter, Predicate<List<SpanData>> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<SpanData> spans = exporter.getFinishedSpanItems();
            if (done.test(spans)) {
                return spans;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("spans did not arrive: " + exporter.getFinishedSpanItems());
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).toList();
    }

    private static List<SpanData> childrenOf(List<SpanData> spans, SpanData parent, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)
                && s.getParentSpanId().equals(parent.getSpanId())
                && s.getTraceId().equals(parent.getTraceId())).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void requestAppendAndCatchUpFormOneSpanTree(String backend) throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
             Running r = start(backend, Tracing.of(sdk))) {
            r.client().appendEvent(RuntimeContract.traceStarted("otel-1"));
            List<SpanData> spans = await(exporter, s -> named(s, "dg.projection.catch_up").size() >= 3);

            SpanData http = named(spans, "POST /api/v1/events").getFirst();
            assertThat(http.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(http.getParentSpanContext().isValid()).isFalse();
            assertThat(http.getAttributes().get(Tracing.ROUTE)).isEqualTo("/api/v1/events");
            assertThat(http.getAttributes().get(Tracing.METHOD)).isEqualTo("POST");
            assertThat(http.getAttributes().get(Tracing.STATUS)).isEqualTo(201L);
            assertThat(http.getAttributes().get(Tracing.TENANT)).isEqualTo("traced");
            assertThat(http.getAttributes().get(Tracing.REQUEST_ID)).isNotBlank();

            List<SpanData> appends = childrenOf(spans, http, "dg.append");
            assertThat(appends).hasSize(1);
            SpanData append = appends.getFirst();
            assertThat(append.getAttributes().get(Tracing.TENANT)).isEqualTo("traced");
            assertThat(append.getAttributes().get(Tracing.EVENT_COUNT)).isEqualTo(1L);
            assertThat(append.getAttributes().get(Tracing.APPENDED)).isEqualTo(1L);

            List<SpanData> catchUps = childrenOf(spans, append, "dg.projection.catch_up");
            assertThat(catchUps).extracting(s -> s.getAttributes().get(Tracing.PROJECTION))
                    .containsExactlyInAnyOrderElementsOf(PROJECTIONS);
            for (SpanData c : catchUps) {
                assertThat(c.getAttributes().get(Tracing.TENANT)).isEqualTo("traced");
                assertThat(c.getAttributes().get(Tracing.EVENT_COUNT)).isEqualTo(1L);
                assertThat(c.getAttributes().get(Tracing.CURSOR)).isEqualTo(1L);
                assertThat(c.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
                assertThat(c.getStartEpochNanos()).isGreaterThanOrEqualTo(append.getStartEpochNanos());
            }

            // a batch: one append span with the batch's event count, its catch-ups under it
            exporter.reset();
            r.client().appendBatch(List.of(RuntimeContract.traceStarted("otel-2"), RuntimeContract.traceStarted("otel-3"),
                    RuntimeContract.traceStarted("otel-4")), false);
            spans = await(exporter, s -> !named(s, "POST /api/v1/events/batch").isEmpty()
                    && named(s, "dg.projection.catch_up").stream().filter(c -> c.getAttributes().get(Tracing.CURSOR) == 4L)
                            .count() >= 3);
            SpanData batchHttp = named(spans, "POST /api/v1/events/batch").getFirst();
            assertThat(batchHttp.getAttributes().get(Tracing.STATUS)).isEqualTo(200L);
            SpanData batchAppend = childrenOf(spans, batchHttp, "dg.append").getFirst();
            assertThat(batchAppend.getAttributes().get(Tracing.EVENT_COUNT)).isEqualTo(3L);
            assertThat(batchAppend.getAttributes().get(Tracing.APPENDED)).isEqualTo(3L);
            assertThat(childrenOf(spans, batchAppend, "dg.projection.catch_up")).isNotEmpty();
            assertThat(named(spans, "dg.projection.catch_up")).allSatisfy(c ->
                    assertThat(c.getParentSpanId()).isEqualTo(batchAppend.getSpanId()));

            // a rejected request: the HTTP span carries the status, and there is no append span
            exporter.reset();
            DgApiException denied = org.junit.jupiter.api.Assertions.assertThrows(DgApiException.class,
                    () -> r.client().as("not-a-token", "traced").appendEvent(RuntimeContract.traceStarted("otel-5")));
            assertThat(denied.status()).isEqualTo(401);
            spans = await(exporter, s -> !named(s, "POST /api/v1/events").isEmpty());
            assertThat(named(spans, "POST /api/v1/events").getFirst().getAttributes().get(Tracing.STATUS)).isEqualTo(401L);
            assertThat(named(spans, "dg.append")).isEmpty();
        }
    }

    @Test
    void tracingIsOffByDefaultAndRecordsNothing() throws Exception {
        Tracing off = Tracing.fromEnv(Map.of(), "decisiongraph");
        assertThat(off).isSameAs(Tracing.NONE);
        assertThat(off.enabled()).isFalse();
        assertThat(Tracing.fromEnv(Map.of("DG_OTEL_EXPORTER", "none"), "decisiongraph")).isSameAs(Tracing.NONE);
        assertThatThrownBy(() -> Tracing.fromEnv(Map.of("DG_OTEL_EXPORTER", "jaeger"), "decisiongraph"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DG_OTEL_EXPORTER must be none, logging or otlp, got 'jaeger' (default none)");
        try (Tracing logging = Tracing.fromEnv(Map.of("DG_OTEL_EXPORTER", "logging"), "decisiongraph");
             Tracing otlp = Tracing.fromEnv(Map.of("DG_OTEL_EXPORTER", "otlp", "DG_OTEL_ENDPOINT",
                     "http://127.0.0.1:1/v1/traces"), "decisiongraph")) {
            assertThat(logging.enabled()).isTrue();
            assertThat(otlp.enabled()).isTrue();
        }

        // an SDK with an in-memory exporter exists in this JVM, and the caller is inside one of its spans:
        // a server with tracing off still records nothing, and its runtime captures no context
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
             Running r = start("sqlite", off)) {
            var outer = sdk.getTracer("test").spanBuilder("outer").startSpan();
            try (Scope ignored = outer.makeCurrent()) {
                assertThat(off.capture()).isNull();
                assertThat(off.request("POST", "/api/v1/events").isRecording()).isFalse();
                r.client().appendEvent(RuntimeContract.traceStarted("off-1"));
                JsonObject health = r.client().projectionHealth().data();
                assertThat(health.getString("tenant_id")).isEqualTo("traced");
            } finally {
                outer.end();
            }
            Thread.sleep(300);
            assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("outer");
        }
    }
}
