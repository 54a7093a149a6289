package org.decisiongraph.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

class PostgresEventLogTest extends EventLogContract {
    @Override
    String newLocation() {
        return TestDatabases.newPostgresUrl();
    }

    @Override
    Database open(String location) {
        return Database.postgres(location, null, null, StoreConfig.DEFAULTS);
    }

    @Override
    List<String> childArgs(String location) {
        return List.of("postgres", location);
    }

    /**
     * A writer that bypasses the tenant lock (raw SQL) holds an uncommitted row with the same event_id; our
     * batch insert blocks on the unique index and fails when that row commits. The batch is then decided
     * again and the duplicate is reported as D4 says, while the rest of the batch commits. (SQLite cannot
     * produce this race: its writers exclude each other on the file lock.)
     */
    @Test
    void aConflictingRowFromALocklessWriterIsMappedAndTheRestOfTheBatchCommits() throws Exception {
        log.append(tenant, Envelopes.started("T", "k0"));
        EventEnvelope foreign = Envelopes.envelope("dup-id", "U", 0, "TraceStarted", "ku", Envelopes.startedPayload("u"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection raw = DriverManager.getConnection(location)) {
            raw.setAutoCommit(false);
            StoredEvent row = new StoredEvent(tenant, 1000, "2026-03-01T00:00:00.000000Z",
                    Hashing.payloadHash(foreign.payload()), foreign);
            try (var ps = raw.prepareStatement(EventRows.INSERT)) {
                EventRows.bindInsert(ps, new EventRows.Row(row, JsonWriter.pythonStorage(foreign.payload()), "[]", ChainHash.next(ChainHash.GENESIS, row)));
                ps.executeUpdate();
            }
            Future<List<AppendOutcome>> append = pool.submit(() -> log.appendBatch(tenant, List.of(
                    Envelopes.envelope("dup-id", "V", 0, "TraceStarted", "kv", Envelopes.startedPayload("v")),
                    Envelopes.started("W", "kw"))));
            Thread.sleep(300);
            raw.commit();
            List<AppendOutcome> outcomes = append.get(60, TimeUnit.SECONDS);
            assertThat(outcomes).extracting(AppendOutcome::outcome).containsExactly("rejected", "appended");
            assertThat(((AppendOutcome.Rejected) outcomes.get(0)).error().toString())
                    .isEqualTo("DG_ERR_CONFLICT: event_id 'dup-id' already exists");
        } finally {
            pool.shutdownNow();
        }
        assertThat(log.traceEvents(tenant, "W")).hasSize(1);
        assertThat(log.traceEvents(tenant, "V")).isEmpty();
    }
}
