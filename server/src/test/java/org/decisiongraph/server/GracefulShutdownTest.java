package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.decisiongraph.client.ApiResponse;
import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.client.SseStream;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.server.api.Access;
import org.decisiongraph.server.api.Reply;
import org.decisiongraph.server.api.RouteSpec;
import org.decisiongraph.store.Database;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DgServer#stop} with a request in flight: the request completes with its answer, open SSE streams end, the
 * projection runtime's workers stop and its pools terminate, no new connection is accepted, and the database (owned
 * by the caller, as in {@code dg serve}) closes cleanly afterwards.
 */
class GracefulShutdownTest {

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void stopLetsTheInFlightRequestFinishThenStopsWorkersAndPools(String backend) throws Exception {
        Database db = "sqlite".equals(backend) ? TestDatabases.sqlite() : TestDatabases.postgres();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProjectionService projections = ProjectionService.start(db, new ProjectionService.Options(true,
                RuntimeSettings.DEFAULTS, null), Clock.systemUTC());
        DgServer.Extensions slow = new DgServer.Extensions(
                List.of(routes -> routes.add(RouteSpec.get("/api/v1/test-slow", Access.READER, "A slow request", "test"),
                        call -> {
                            entered.countDown();
                            release.await(30, TimeUnit.SECONDS);
                            return Reply.ok(JsonObject.builder().put("done", true)
                                    .put("last_log_seq", call.services().log().lastLogSeq(call.tenant())).build());
                        })),
                List.of(), ProjectionHealthSource.NONE);
        DgServer server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0), Clock.systemUTC(),
                projections.extensions().plus(slow)).start();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        String token = server.services().accounts().create("w", null, List.of("writer", "reader"), List.of(), List.of("t"),
                null, "t").orElseThrow().key().token();
        DgClient client = new DgClient(base, token, "t", 1, Duration.ofMillis(10));
        long appended = ((org.decisiongraph.core.json.JsonInt) client.appendBatch(Golden.scenarios().getFirst(), false).data()
                .getObject("summary").get("appended")).longValue();
        assertThat(appended).isPositive();
        ProjectionRuntime runtime = projections.runtime();
        assertThat(runtime.activeWorkers()).isEqualTo(3);

        SseStream stream = client.stream("events", null);
        AtomicReference<Object> answer = new AtomicReference<>();
        Thread request = Thread.ofVirtual().start(() -> {
            try {
                answer.set(client.send("GET", "/api/v1/test-slow", Map.of(), null));
            } catch (DgApiException e) {
                answer.set(e);
            }
        });
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        Thread stopper = Thread.ofPlatform().start(server::stop);
        // the stop is under way while the request is still running: the runtime goes first, then the listener drains
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!runtime.isTerminated() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(runtime.isTerminated()).isTrue();
        assertThat(stopper.isAlive()).as("stop waits for the in-flight request").isTrue();
        release.countDown();
        request.join(Duration.ofSeconds(30));
        stopper.join(Duration.ofSeconds(30));
        assertThat(stopper.isAlive()).isFalse();

        assertThat(answer.get()).isInstanceOf(ApiResponse.class);
        ApiResponse r = (ApiResponse) answer.get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.data().get("done")).isEqualTo(org.decisiongraph.core.json.JsonBool.TRUE);
        assertThat(r.data().get("last_log_seq")).isEqualTo(org.decisiongraph.core.json.JsonInt.of(appended));

        // workers stopped, no more signals taken, streams ended, no new connections
        for (String p : ProjectionRuntime.PROJECTIONS) {
            assertThat(runtime.workerStatus("t", p).status()).isEqualTo("stopped");
        }
        assertThat(runtime.eventsAppended("t")).isFalse();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!stream.ended() && System.nanoTime() < until) {
            stream.next(Duration.ofMillis(100));
        }
        assertThat(stream.ended()).isTrue();
        stream.close();
        DgApiException refused = org.junit.jupiter.api.Assertions.assertThrows(DgApiException.class, client::healthz);
        assertThat(refused.apiCode()).isEqualTo("connection_failed");

        // the database closes cleanly after the server, and its pool is gone
        db.close();
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> db.tx().read(h -> h.prepare("SELECT 1").executeQuery().next()));
    }
}
