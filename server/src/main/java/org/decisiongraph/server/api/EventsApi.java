package org.decisiongraph.server.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.core.validate.EventValidator;
import org.decisiongraph.server.Tracing;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.auth.Principal;
import org.decisiongraph.store.log.AppendOutcome;
import org.decisiongraph.store.log.EventQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/events} (platform spec 1.4), {@code POST /api/v1/events/batch} (N1) and
 * {@code GET /api/v1/events} (N2).
 */
public final class EventsApi implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(EventsApi.class);
    static final int MAX_BATCH = 1000;
    /**
     * {@code Prefer: return=minimal} (RFC 7240) on both append routes: each stored event is answered with
     * {@link EnvelopeJson#toMinimalJson} (ids, positions, hash, recorded_at) instead of the whole event, and the answer
     * says {@code Preference-Applied: return=minimal}. Without it the answer is the reference's.
     */
    static final String PREFERENCE_APPLIED = "Preference-Applied";
    static final String RETURN_MINIMAL = "return=minimal";
    private static final List<String> PRIORITIES = List.of("urgent", "high", "normal", "low");
    /** The event types with checks after validation (priority domain, workflow permissions). */
    private static final java.util.Set<String> WORKFLOW_SOURCE_TYPES = java.util.Set.of("ApprovalRecorded",
            "WorkflowReviewRequested");

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.post("/api/v1/events", Access.WRITER, 201, "Append one event", "events")
                .body("EventIngestRequest").returns("AppendResult"), this::append);
        routes.add(RouteSpec.post("/api/v1/events/batch", Access.WRITER, 200, "Append events in order, one transaction each",
                "events").body("BatchAppendRequest").returns("BatchAppendResult").withDeferredRateLimit(), this::batch);
        routes.add(RouteSpec.get("/api/v1/events", Access.READER, "List the tenant's events by log_seq", "events")
                .query("since_log_seq", "until_log_seq", "event_type", "trace_id", "since_occurred_at",
                        "until_occurred_at", "limit", "cursor")
                .returns("EventPage"), this::list);
    }

    // --- append -------------------------------------------------------------------------------------

    private Reply append(Call call) {
        Json body = call.body();
        AppendOutcome outcome;
        boolean synced;
        Span span = call.services().tracing().append(call.tenant(), 1);
        try (Scope ignored = call.services().tracing().makeCurrent(span)) {
            outcome = appendOne(call, body);
            synced = sync(call, outcome instanceof AppendOutcome.Appended ? List.of(outcome.eventOrNull()) : List.of());
            span.setAttribute(Tracing.APPENDED, outcome instanceof AppendOutcome.Appended ? 1 : 0);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e instanceof DgException d ? d.code().apiCode() : e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
        StoredEvent stored = outcome.eventOrNull();
        boolean minimal = call.prefersMinimalReturn();
        Reply reply = preferenceApplied(Reply.created(JsonObject.builder()
                .put("event", eventJson(stored, minimal))
                .put("projection_sync_triggered", synced)
                .build()), minimal);
        return outcome instanceof AppendOutcome.Reused ? reply.withHeader("Idempotent-Replay", "true") : reply;
    }

    /** One event through shape checks, validation, workflow permissions and the append; throws on rejection. */
    private static AppendOutcome appendOne(Call call, Json json) {
        Services s = call.services();
        String eventType = json instanceof JsonObject o && o.get("event_type") instanceof JsonString t ? t.value() : null;
        try {
            EventEnvelope envelope = prepare(call, json);
            long started = System.nanoTime();
            AppendOutcome outcome = s.log().append(call.tenant(), envelope);
            s.metrics().appendStop(call.tenant(), envelope.eventType(), outcome.outcome(),
                    Duration.ofNanos(System.nanoTime() - started),
                    JsonWriter.canonicalLength(envelope.payload()));
            s.tenantSeen(call.tenant());
            return outcome;
        } catch (DgException e) {
            s.metrics().appendException(eventType, e.code().apiCode());
            throw e;
        } catch (ApiError e) {
            s.metrics().appendException(eventType, e.code());
            throw e;
        }
    }

    /** {@code WorkflowReviewRequested.priority} must be one of the four platform priorities (422). */
    private static void checkPriority(EventEnvelope e) {
        if ("WorkflowReviewRequested".equals(e.eventType()) && e.payload() instanceof JsonObject p
                && p.get("priority") instanceof JsonString s && !PRIORITIES.contains(s.value())) {
            throw DgErrors.schema("Invalid value '" + s.value() + "' for '$.priority'");
        }
    }

    /** Workflow source events need workflow permissions (platform spec 1.4, 2.3). */
    static void checkWorkflowPermission(Principal p, EventEnvelope e) {
        switch (e.eventType()) {
            case "ApprovalRecorded" -> {
                require(p, Permissions.WORKFLOW_REVIEW);
                if (e.payload() instanceof JsonObject payload && payload.get("subject") instanceof JsonObject subject
                        && subject.get("subject_type") instanceof JsonString t && "override".equals(t.value())) {
                    require(p, Permissions.WORKFLOW_OVERRIDE);
                }
            }
            case "WorkflowReviewRequested" -> require(p, Permissions.WORKFLOW_ASSIGN);
            default -> {
                // no extra permission
            }
        }
    }

    private static void require(Principal p, String permission) {
        if (!p.account().hasPermission(permission)) {
            throw ApiError.forbidden("Service account lacks " + permission + " permission");
        }
    }

    private static boolean sync(Call call, List<StoredEvent> appended) {
        if (appended.isEmpty()) {
            return false;
        }
        try {
            return call.services().appendHook().eventsAppended(call.tenant(), appended);
        } catch (RuntimeException e) {
            LOG.warn("projection_sync_failed", e);
            return false;
        }
    }

    // --- batch --------------------------------------------------------------------------------------

    private Reply batch(Call call) {
        Json body;
        try {
            body = call.body();
        } catch (ApiError e) {
            call.chargeRate(1);
            throw e;
        }
        if (!(body instanceof JsonObject o) || !(o.get("events") instanceof JsonArray events)) {
            call.chargeRate(1);
            throw ApiError.invalidArgument("events must contain between 1 and 1000 items");
        }
        if (events.isEmpty() || events.size() > MAX_BATCH) {
            call.chargeRate(1);
            throw ApiError.invalidArgument("events must contain between 1 and 1000 items");
        }
        call.chargeRate((events.size() + 99) / 100);
        Span span = call.services().tracing().append(call.tenant(), events.size());
        try (Scope ignored = call.services().tracing().makeCurrent(span)) {
            return appendBatch(call, o, events, span);
        } finally {
            span.end();
        }
    }

    /**
     * The events of a batch in array order: each first through the stateless steps of the pipeline (shape,
     * validation, priority, workflow permission) on this thread, then all accepted ones through the store's batch
     * append, which decides each event on its own exactly as single appends would (reuse, finish lock, sequencing,
     * events building on earlier ones of the batch) and commits the appended ones together (group commit: one
     * transaction instead of one per event). Per-event outcomes and their order are those of one transaction per
     * event; with {@code stop_on_error} processing stops at the first rejection, stateless or stateful.
     */
    private Reply appendBatch(Call call, JsonObject o, JsonArray events, Span span) {
        boolean stopOnError = Params.optionalBool(o, "stop_on_error", false);
        Services s = call.services();
        s.metrics().batchSize(events.size());
        int n = events.size();
        Json[] errors = new Json[n];
        List<Integer> indexes = new ArrayList<>(n);
        List<EventEnvelope> envelopes = new ArrayList<>(n);
        int firstStatelessRejection = n;
        for (int i = 0; i < n; i++) {
            Json json = events.get(i);
            try {
                envelopes.add(prepare(call, json));
                indexes.add(i);
            } catch (DgException | ApiError e) {
                ApiError err = e instanceof DgException d ? ApiError.of(d) : (ApiError) e;
                s.metrics().appendException(eventTypeOf(json), err.code());
                errors[i] = err.toJson();
                if (stopOnError) {
                    firstStatelessRejection = i;
                    break;
                }
            }
        }
        long started = System.nanoTime();
        List<AppendOutcome> outcomes = envelopes.isEmpty() ? List.of()
                : s.log().appendBatch(call.tenant(), envelopes, stopOnError);
        Duration each = Duration.ofNanos((System.nanoTime() - started) / Math.max(outcomes.size(), 1));
        AppendOutcome[] byIndex = new AppendOutcome[n];
        int stopAt = firstStatelessRejection; // the first index not processed after a rejection (stop_on_error)
        for (int k = 0; k < outcomes.size(); k++) {
            int i = indexes.get(k);
            AppendOutcome outcome = outcomes.get(k);
            byIndex[i] = outcome;
            EventEnvelope envelope = envelopes.get(k);
            if (outcome instanceof AppendOutcome.Rejected r) {
                s.metrics().appendException(envelope.eventType(), r.error().code().apiCode());
                errors[i] = ApiError.of(r.error()).toJson();
                if (stopOnError) {
                    stopAt = i;
                }
            } else {
                s.metrics().appendStop(call.tenant(), envelope.eventType(), outcome.outcome(), each,
                        JsonWriter.canonicalLength(envelope.payload()));
            }
        }
        if (outcomes.stream().anyMatch(x -> !(x instanceof AppendOutcome.Rejected))) {
            s.tenantSeen(call.tenant());
        }
        boolean minimal = call.prefersMinimalReturn();
        List<Json> results = new ArrayList<>(n);
        List<StoredEvent> appended = new ArrayList<>();
        long nAppended = 0;
        long nReused = 0;
        long nRejected = 0;
        long nSkipped = 0;
        for (int i = 0; i < n; i++) {
            JsonObject.Builder r = JsonObject.builder().put("index", i);
            AppendOutcome outcome = byIndex[i];
            if (stopOnError && i > stopAt) {
                nSkipped++;
                results.add(r.put("outcome", "skipped").put("event", JsonNull.INSTANCE).put("error", JsonNull.INSTANCE).build());
            } else if (errors[i] != null) {
                nRejected++;
                results.add(r.put("outcome", "rejected").put("event", JsonNull.INSTANCE).put("error", errors[i]).build());
            } else {
                StoredEvent stored = outcome.eventOrNull();
                if (outcome instanceof AppendOutcome.Appended) {
                    nAppended++;
                    appended.add(stored);
                } else {
                    nReused++;
                }
                results.add(r.put("outcome", outcome.outcome())
                        .put("event", eventJson(stored, minimal))
                        .put("error", JsonNull.INSTANCE).build());
            }
        }
        boolean synced = sync(call, appended);
        span.setAttribute(Tracing.APPENDED, nAppended);
        Reply reply = Reply.ok(JsonObject.builder()
                .put("results", Json.array(results))
                .put("summary", JsonObject.builder().put("appended", nAppended).put("reused", nReused)
                        .put("rejected", nRejected).put("skipped", nSkipped).build())
                .put("projection_sync_triggered", synced)
                .build());
        return preferenceApplied(reply, minimal);
    }

    private static JsonObject eventJson(StoredEvent stored, boolean minimal) {
        return minimal ? EnvelopeJson.toMinimalJson(stored) : EnvelopeJson.toJson(stored);
    }

    private static Reply preferenceApplied(Reply reply, boolean minimal) {
        return minimal ? reply.withHeader(PREFERENCE_APPLIED, RETURN_MINIMAL) : reply;
    }

    private static String eventTypeOf(Json json) {
        return json instanceof JsonObject o && o.get("event_type") instanceof JsonString t ? t.value() : null;
    }

    /**
     * The stateless steps of one event before the store: shape, then, for the two workflow source types whose
     * priority and permission checks must come after validation, validation, priority and permission; throws on
     * rejection. Every other event is validated once, by the store's pipeline, which runs the same validator first
     * (steps 1-5) and so rejects with exactly the same error as a check here would (no second schema walk, PII scan
     * and payload hash per event).
     */
    private static EventEnvelope prepare(Call call, Json json) {
        EventEnvelope envelope = EventRequest.parse(json);
        if (WORKFLOW_SOURCE_TYPES.contains(envelope.eventType())) {
            EventValidator.Validated validated = call.services().validator().validate(envelope);
            checkPriority(envelope);
            checkWorkflowPermission(call.principal(), envelope);
            return validated.envelope();
        }
        return envelope;
    }

    // --- listing ------------------------------------------------------------------------------------

    private Reply list(Call call) {
        Services s = call.services();
        Long since = call.queryLong("since_log_seq");
        Long until = call.queryLong("until_log_seq");
        String type = call.query("event_type");
        String traceId = call.query("trace_id");
        Instant sinceOccurred = Params.instant("since_occurred_at", call.query("since_occurred_at"));
        Instant untilOccurred = Params.instant("until_occurred_at", call.query("until_occurred_at"));
        int limit = Params.eventLimit(call);
        new EventQuery(since, until, type, traceId, null); // validates bounds with the store's messages
        String fingerprint = Cursors.fingerprint(call.tenant(), call.queryMap());
        Long position = Cursors.decode(call.query("cursor"), "events", fingerprint);
        long from = Math.max(since == null ? 0 : since, position == null ? 0 : position);
        if (until != null && from > until) {
            return page(List.of(), null);
        }
        List<StoredEvent> rows;
        boolean more;
        if (sinceOccurred == null && untilOccurred == null) {
            rows = s.log().listEvents(call.tenant(), new EventQuery(from, until, type, traceId, limit));
            more = rows.size() == limit && !s.log().listEvents(call.tenant(),
                    new EventQuery(rows.getLast().logSeq(), until, type, traceId, 1)).isEmpty();
        } else {
            rows = new ArrayList<>();
            more = false;
            outer:
            for (List<StoredEvent> batch : s.log().batches(call.tenant(), from, until, 1000)) {
                for (StoredEvent e : batch) {
                    if (!matches(e, type, traceId, sinceOccurred, untilOccurred)) {
                        continue;
                    }
                    if (rows.size() == limit) {
                        more = true;
                        break outer;
                    }
                    rows.add(e);
                }
            }
        }
        s.metrics().readBatch(rows.size());
        String next = more ? Cursors.encode("events", fingerprint, rows.getLast().logSeq()) : null;
        return page(rows, next);
    }

    private static boolean matches(StoredEvent e, String type, String traceId, Instant since, Instant until) {
        if (type != null && !type.equals(e.eventType())) {
            return false;
        }
        if (traceId != null && !traceId.equals(e.traceId())) {
            return false;
        }
        Instant at;
        try {
            at = Timestamps.parse(e.occurredAt());
        } catch (DgException ex) {
            return false;
        }
        return (since == null || at.isAfter(since)) && (until == null || !at.isAfter(until));
    }

    static Reply page(List<StoredEvent> rows, String next) {
        return Reply.ok(JsonObject.builder()
                .put("events", Json.array(rows.stream().map(EnvelopeJson::toJson).toList()))
                .put("next_cursor", Json.ofNullable(next))
                .build());
    }
}
