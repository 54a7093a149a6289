package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.migrate.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dg dump-trace <db> <trace_id> [--include-payload] [--tenant T]}: the events of one trace as the
 * reference CLI prints them, byte for byte (JSON array by trace_seq, 2-space indent, sorted keys,
 * ASCII-escaped, one trailing newline). Read-only; works on this project's files and on reference-layout
 * files (whose events are tenant {@code default}).
 */
@Command(name = "dump-trace", mixinStandardHelpOptions = true,
        description = "Print the events of a trace as JSON (read-only, byte-compatible with the reference CLI).")
public final class DumpTraceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL")
    String db;

    @Parameters(index = "1", paramLabel = "<trace_id>")
    String traceId;

    @Option(names = "--include-payload", description = "Also print actor, source, payload and the other envelope fields.")
    boolean includePayload;

    @Option(names = "--tenant", defaultValue = EventLog.DEFAULT_TENANT, description = "Tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DbLocation location = DbArguments.location(db);
        if (location instanceof DbLocation.SqliteFile) {
            Integer failed = DbArguments.checkPath(db, err);
            if (failed != null) {
                return failed;
            }
        }
        try (Database database = Database.openReadOnly(location, StoreConfig.DEFAULTS)) {
            if (database.layout() == Layout.EMPTY) {
                err.println("Error getting trace events: no such table: dg_event_log");
                return 1;
            }
            EventLog log = EventLog.open(database, EventTypeSet.PLATFORM, Clock.systemUTC());
            List<StoredEvent> events = log.traceEvents(tenant, traceId);
            if (events.isEmpty()) {
                throw DgErrors.traceNotFound(traceId);
            }
            out.print(JsonWriter.pretty(Json.array(events.stream().map(this::eventJson).toList())) + "\n");
            out.flush();
            return 0;
        } catch (DgException e) {
            err.println("Error getting trace events: " + pythonStr(e));
            return 1;
        }
    }

    /** Python prints a driver error's own text and a DecisionGraphError as {@code CODE: message}. */
    private static String pythonStr(DgException e) {
        String prefix = "Database error: ";
        if (e.code() == ErrorCode.DG_ERR_STORAGE && e.message().startsWith(prefix)) {
            return e.message().substring(prefix.length());
        }
        return e.toString();
    }

    private JsonObject eventJson(StoredEvent e) {
        JsonObject.Builder b = JsonObject.builder()
                .put("event_id", e.eventId())
                .put("event_type", e.eventType())
                .put("log_seq", e.logSeq())
                .put("occurred_at", e.occurredAt())
                .put("recorded_at", e.recordedAt())
                .put("trace_id", e.traceId())
                .put("trace_seq", e.traceSeq());
        if (includePayload) {
            b.put("actor", EnvelopeJson.actorJson(e.actor()))
                    .put("causation_event_id", Json.ofNullable(e.causationEventId()))
                    .put("correlation_id", Json.ofNullable(e.correlationId()))
                    .put("idempotency_key", e.idempotencyKey())
                    .put("payload", e.payload())
                    .put("payload_hash", e.payloadHash())
                    .put("schema_version", e.schemaVersion())
                    .put("source", EnvelopeJson.sourceJson(e.source()))
                    .put("tags", Json.strings(e.tags()));
        }
        return b.build();
    }
}
