package org.decisiongraph.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.log.EventQuery;
import org.decisiongraph.store.log.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reference-layout files are read as tenant {@code default}, read-only, and left byte for byte as they were. */
class ReferenceLayoutTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);

    private Path file;
    private List<EventEnvelope> golden;

    @BeforeEach
    void createReferenceFile() throws Exception {
        file = TestDatabases.newSqlitePath();
        golden = Fixtures.goldenScenarios().stream().flatMap(s -> s.events().stream()).toList();
        ReferenceFiles.create(file, golden, "2026-03-01T12:00:00.123456Z");
    }

    private List<String> directoryListing() throws IOException {
        try (Stream<Path> s = Files.list(file.getParent())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void isDetectedAndReadAsTenantDefaultWithoutChangingAByte() throws Exception {
        byte[] before = Files.readAllBytes(file);
        List<String> filesBefore = directoryListing();
        assertThat(filesBefore).containsExactly("events.db");

        try (Database db = Database.sqliteReadOnly(file)) {
            assertThat(db.layout()).isEqualTo(Layout.REFERENCE);
            assertThat(db.isReadOnly()).isTrue();
            EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
            List<StoredEvent> all = log.listEvents("default", EventQuery.ALL);
            assertThat(all).extracting(StoredEvent::envelope).containsExactlyElementsOf(golden);
            assertThat(all).extracting(StoredEvent::logSeq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
            assertThat(all).allSatisfy(e -> {
                assertThat(e.tenantId()).isEqualTo("default");
                assertThat(e.recordedAt()).isEqualTo("2026-03-01T12:00:00.123456Z");
            });
            String renewal = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
            assertThat(log.traceEvents(" default ", renewal)).hasSize(9);
            assertThat(log.traceEvents(null, renewal, 6L, 2)).extracting(StoredEvent::traceSeq).containsExactly(7L, 8L);
            assertThat(log.isTraceFinished("default", renewal)).isTrue();
            assertThat(log.nextTraceSeq("default", renewal)).isEqualTo(9);
            assertThat(log.lastLogSeq("default")).isEqualTo(40);
            assertThat(log.eventCount("default")).isEqualTo(40);
            assertThat(log.traceCount("default")).isEqualTo(5);
            List<Long> paged = new ArrayList<>();
            log.batches("default", 0, null, 16).forEach(p -> p.forEach(e -> paged.add(e.logSeq())));
            assertThat(paged).hasSize(40);
            // other tenants have nothing here
            assertThat(log.listEvents("acme", EventQuery.ALL)).isEmpty();
            assertThat(log.lastLogSeq("acme")).isZero();
            assertThat(log.traceEvents("acme", renewal)).isEmpty();
            // and nothing can be written
            assertThatThrownBy(() -> log.append("default", golden.get(0))).isInstanceOfSatisfying(DgException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_STORAGE));
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(directoryListing()).isEqualTo(filesBefore);
    }

    @Test
    void cannotBeOpenedForWriting() throws Exception {
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Database.sqlite(file)).isInstanceOfSatisfying(DgException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
            assertThat(e.message()).contains("reference-layout database");
        });
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(directoryListing()).containsExactly("events.db");
    }

    @Test
    void ourOwnFilesOpenReadOnlyWithoutLeavingFilesBehind() throws Exception {
        Path ours = TestDatabases.newSqlitePath();
        try (Database db = Database.sqlite(ours)) {
            EventLog.open(db, EventTypeSet.REFERENCE, CLOCK).appendBatch("acme", golden);
        }
        byte[] before = Files.readAllBytes(ours);
        try (Database db = Database.sqliteReadOnly(ours)) {
            assertThat(db.layout()).isEqualTo(Layout.DECISIONGRAPH);
            EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
            assertThat(log.lastLogSeq("acme")).isEqualTo(40);
            assertThat(log.lastLogSeq("default")).isZero();
        }
        assertThat(Files.readAllBytes(ours)).isEqualTo(before);
        try (Stream<Path> s = Files.list(ours.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("events.db");
        }
    }

    @Test
    void emptyFileHasNoEventLog() throws Exception {
        Path empty = TestDatabases.newSqlitePath();
        Files.createFile(empty);
        try (Database db = Database.sqliteReadOnly(empty)) {
            assertThat(db.layout()).isEqualTo(Layout.EMPTY);
            EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, CLOCK);
            assertThatThrownBy(() -> log.traceEvents("default", "x")).isInstanceOfSatisfying(DgException.class,
                    e -> assertThat(e.toString()).isEqualTo("DG_ERR_STORAGE: Database error: no such table: dg_event_log"));
        }
        assertThat(Files.size(empty)).isZero();
    }
}
