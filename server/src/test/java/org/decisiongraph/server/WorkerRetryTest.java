package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.projection.runtime.RetryScheduler;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.projection.runtime.WorkerStatus;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.runtime.RuntimeStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retry and backoff of a projection worker on a real storage failure (projections spec 7.4): the
 * {@code dg_trace_summary} table is renamed away, so every batch of the {@code trace_summary} worker fails with
 * {@code storage}; the retries are handed to a recording {@link RetryScheduler} (the test decides when each runs)
 * so the backoff delays are checked exactly; renaming the table back lets the worker recover without skipping.
 */
class WorkerRetryTest {
    private static final String TENANT = "retry";
    private static final String P = "trace_summary";

    /** Records the delays and queues the retries; the test runs them. */
    private static final class RecordingRetries implements RetryScheduler {
        final List<Long> delays = new ArrayList<>();
        final LinkedBlockingQueue<Runnable> pending = new LinkedBlockingQueue<>();

        @Override
        public synchronized void schedule(Runnable retry, long delayMs) {
            delays.add(delayMs);
            pending.add(retry);
        }

        synchronized List<Long> delays() {
            return List.copyOf(delays);
        }

        void runNext() throws InterruptedException {
            Runnable r = pending.poll(60, TimeUnit.SECONDS);
            assertThat(r).as("a retry was scheduled").isNotNull();
            r.run();
        }
    }

    private static Database open(String backend) {
        return "sqlite".equals(backend) ? TestDatabases.sqlite() : TestDatabases.postgres();
    }

    private static void rename(Database db, String from, String to) {
        db.tx().write(h -> h.prepare("ALTER TABLE " + from + " RENAME TO " + to).executeUpdate());
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** The first golden scenario in the log, and the trace_summary table renamed away (storage errors). */
    private static List<JsonObject> appendGoldenWithoutTraceSummaryTable(Database db) throws Exception {
        List<JsonObject> events = Golden.scenarios().getFirst();
        EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
        for (JsonObject e : events) {
            log.append(TENANT, EnvelopeJson.fromJson(e));
        }
        rename(db, "dg_trace_summary", "dg_trace_summary_away");
        return events;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void transientStorageFailureIsRetriedWithBackoffThenRecovers(String backend) throws Exception {
        try (Database db = open(backend)) {
            List<JsonObject> events = appendGoldenWithoutTraceSummaryTable(db);
            RecordingRetries retries = new RecordingRetries();
            RuntimeSettings settings = RuntimeSettings.DEFAULTS.withRetryBaseMs(250).withPollIntervalMs(600_000);
            try (ProjectionRuntime runtime = ProjectionRuntime.create(db, settings, Clock.systemUTC(), IdGenerator.RANDOM_UUID,
                    retries).start()) {
                // boot sync fails: first retry after the base delay
                await("first retry", () -> retries.delays().size() == 1);
                WorkerStatus s = runtime.workerStatus(TENANT, P);
                assertThat(s.status()).isEqualTo("retrying");
                assertThat(s.retryCount()).isEqualTo(1);
                assertThat(s.lastError().getString("code")).isEqualTo("storage");
                assertThat(s.cursor()).isZero();
                // ordinary signals do not bypass the backoff
                assertThat(runtime.eventsAppended(TENANT)).isTrue();
                // two more failing retries: 250 × 2^(n−1)
                retries.runNext();
                await("second retry", () -> retries.delays().size() == 2);
                retries.runNext();
                await("third retry", () -> retries.delays().size() == 3);
                assertThat(retries.delays()).containsExactly(250L, 500L, 1000L);
                assertThat(runtime.workerStatus(TENANT, P).retryCount()).isEqualTo(3);
                assertThat(runtime.store().openFailures(TENANT, P)).as("no failure row while retrying").isZero();

                // storage is back: the next retry catches the projection up, nothing skipped, nothing recorded
                rename(db, "dg_trace_summary_away", "dg_trace_summary");
                retries.runNext();
                await("recovery", () -> runtime.workerStatus(TENANT, P).cursor() == events.size()
                        && "idle".equals(runtime.workerStatus(TENANT, P).status()));
                WorkerStatus after = runtime.workerStatus(TENANT, P);
                assertThat(after.retryCount()).isZero();
                assertThat(after.lastError()).isNull();
                assertThat(runtime.processedByWorker(TENANT, P)).isEqualTo(events.size());
                assertThat(retries.delays()).hasSize(3);
                assertThat(runtime.store().failures(TENANT, P, null)).isEmpty();
                for (String other : List.of("context_graph", "precedent_index")) {
                    assertThat(runtime.workerStatus(TENANT, other).cursor()).isEqualTo(events.size());
                    assertThat(runtime.workerStatus(TENANT, other).retryCount()).isZero();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void exhaustedRetriesParkTheWorkerUntilAnExternalSync(String backend) throws Exception {
        try (Database db = open(backend)) {
            List<JsonObject> events = appendGoldenWithoutTraceSummaryTable(db);
            RecordingRetries retries = new RecordingRetries();
            RuntimeSettings base = RuntimeSettings.DEFAULTS.withRetryBaseMs(40).withPollIntervalMs(600_000);
            RuntimeSettings settings = new RuntimeSettings(base.batchSize(), base.pollIntervalMs(), base.retryBaseMs(), 2,
                    base.partitions(), base.leaseTtlMs(), base.threads(), base.checkpointIntervalMs(), base.coalesceMs());
            try (ProjectionRuntime runtime = ProjectionRuntime.create(db, settings, Clock.systemUTC(), IdGenerator.RANDOM_UUID,
                    retries).start()) {
                await("first retry", () -> retries.delays().size() == 1);
                retries.runNext();
                await("second retry", () -> retries.delays().size() == 2);
                retries.runNext();
                // the third failure exceeds max_retries = 2: parked, one failure row for the first event
                await("parked", () -> "failed".equals(runtime.workerStatus(TENANT, P).status()));
                assertThat(retries.delays()).containsExactly(40L, 80L);
                await("failure row", () -> runtime.store().openFailures(TENANT, P) == 1);
                RuntimeStore.Failure f = runtime.store().failures(TENANT, P, "open").getFirst();
                assertThat(f.errorCode()).isEqualTo("storage");
                assertThat(f.recoverable()).isTrue();
                // an event of the rolled-back batch (SQLite fails on the first statement, Postgres on the first
                // statement that is not deferred to the batch flush); the cursor stays before the batch
                assertThat(f.logSeq()).isBetween(1L, (long) events.size());
                assertThat(runtime.workerStatus(TENANT, P).cursor()).isZero();
                assertThat(f.retryCount()).isEqualTo(3);

                // storage is back, but a signal does not wake a failed worker
                rename(db, "dg_trace_summary_away", "dg_trace_summary");
                runtime.eventsAppended(TENANT);
                Thread.sleep(200);
                assertThat(runtime.workerStatus(TENANT, P).status()).isEqualTo("failed");
                assertThat(runtime.workerStatus(TENANT, P).cursor()).isZero();

                // the external sync (what POST …/projection-failures/{id}/retry sends) resumes it; the row resolves
                runtime.sync(TENANT, P);
                await("resumed", () -> runtime.workerStatus(TENANT, P).cursor() == events.size());
                await("resolved", () -> runtime.store().openFailures(TENANT, P) == 0);
                assertThat(runtime.store().failures(TENANT, P, "resolved")).hasSize(1);
                assertThat(retries.delays()).hasSize(2);
            }
        }
    }

    /**
     * The tenant's digested projections catch up together (one group pass); when a pass meets an error that
     * concerns one projection only, the workers take over on their own: the other two catch up, the failing one
     * retries, and after the fix the group serves all three again, every event counted once per projection.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aGroupPassThatMeetsAnErrorLeavesItToTheWorkers(String backend) throws Exception {
        try (Database db = open(backend)) {
            List<List<JsonObject>> scenarios = Golden.scenarios();
            EventLog log = EventLog.open(db, EventTypeSet.PLATFORM, Clock.systemUTC());
            RecordingRetries retries = new RecordingRetries();
            RuntimeSettings settings = RuntimeSettings.DEFAULTS.withRetryBaseMs(250).withPollIntervalMs(600_000);
            List<String> all = List.of("context_graph", "trace_summary", "precedent_index");
            try (ProjectionRuntime runtime = ProjectionRuntime.create(db, settings, Clock.systemUTC(), IdGenerator.RANDOM_UUID,
                    retries).start()) {
                long total = append(log, scenarios.get(0));
                runtime.eventsAppended(TENANT);
                await("first scenario", () -> all.stream().allMatch(p -> runtime.workerStatus(TENANT, p).cursor() == total));

                rename(db, "dg_trace_summary", "dg_trace_summary_away");
                long total2 = total + append(log, scenarios.get(1));
                runtime.eventsAppended(TENANT);
                await("first retry", () -> retries.delays().size() == 1);
                assertThat(runtime.workerStatus(TENANT, P).status()).isEqualTo("retrying");
                assertThat(runtime.workerStatus(TENANT, P).cursor()).isEqualTo(total);
                await("the others on their own", () -> runtime.workerStatus(TENANT, "context_graph").cursor() == total2
                        && runtime.workerStatus(TENANT, "precedent_index").cursor() == total2);
                for (String other : List.of("context_graph", "precedent_index")) {
                    assertThat(runtime.workerStatus(TENANT, other).status()).isEqualTo("idle");
                    assertThat(runtime.workerStatus(TENANT, other).lastError()).isNull();
                }
                // while trace_summary retries, the group still serves the other two
                long total3 = total2 + append(log, scenarios.get(2));
                runtime.eventsAppended(TENANT);
                await("the others in the group", () -> runtime.workerStatus(TENANT, "context_graph").cursor() == total3
                        && runtime.workerStatus(TENANT, "precedent_index").cursor() == total3);
                assertThat(runtime.workerStatus(TENANT, P).cursor()).isEqualTo(total);

                rename(db, "dg_trace_summary_away", "dg_trace_summary");
                retries.runNext();
                await("recovered", () -> runtime.workerStatus(TENANT, P).cursor() == total3
                        && "idle".equals(runtime.workerStatus(TENANT, P).status()));
                long total4 = total3 + append(log, scenarios.get(3));
                runtime.eventsAppended(TENANT);
                await("all three again", () -> all.stream().allMatch(p -> runtime.workerStatus(TENANT, p).cursor() == total4));
                for (String p : all) {
                    assertThat(runtime.processedByWorker(TENANT, p)).as(p).isEqualTo(total4);
                    assertThat(runtime.store().failures(TENANT, p, null)).as(p).isEmpty();
                }
                assertThat(retries.delays()).containsExactly(250L);
                // the rows are those of one catch-up from scratch
                var report = org.decisiongraph.projection.Projections.open(db, TENANT, Clock.systemUTC()).verify();
                assertThat(report.clean()).as(report.toJson().toString()).isTrue();
            }
        }
    }

    private static long append(EventLog log, List<JsonObject> events) {
        for (JsonObject e : events) {
            log.append(TENANT, EnvelopeJson.fromJson(e));
        }
        return events.size();
    }
}
