package org.decisiongraph.server.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.javalin.http.Context;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.log.EventQuery;

/**
 * {@code GET /api/v1/stream} (N20): Server-Sent Events of the caller's tenant. Topics {@code events},
 * {@code health}, {@code workflows}, {@code runs} (default all); {@code Last-Event-ID} or {@code since_log_seq}
 * first replays up to 1000 missed {@code event_appended} frames (more → one {@code reset} frame); a heartbeat
 * every 15 s. The stream ends when the client goes away, its key is revoked (checked every second) or the server
 * stops.
 */
public final class StreamApi implements RouteGroup {
    static final long HEARTBEAT_MS = 15_000;
    static final int MAX_RESUME = 1000;
    static final long KEEPALIVE_MS = 1_000;
    static final long KEY_CHECK_MS = 1_000;

    private final StreamHub hub;

    public StreamApi(StreamHub hub) {
        this.hub = hub;
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/stream", Access.READER, "Server-Sent Events: appends, projection health, runs", "stream")
                .query("topics", "since_log_seq").produces("text/event-stream"), this::stream);
    }

    private Reply stream(Call call) throws IOException {
        Set<String> topics = topics(call);
        Long since = call.queryLong("since_log_seq");
        String lastEventId = call.header("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            since = Params.integer("Last-Event-ID", lastEventId);
        }
        if (since != null && since < 0) {
            throw ApiError.invalidArgument("since_log_seq must be non-negative");
        }
        StreamHub.Subscriber sub = hub.subscribe(call.tenant(), call.principal().accountId(), topics);
        try {
            Context ctx = call.context();
            ctx.status(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("x-request-id", call.requestId());
            OutputStream out = ctx.res().getOutputStream();
            long lastSent = since == null ? -1 : since;
            StringBuilder first = new StringBuilder(": connected\n\n");
            if (since != null && topics.contains("events")) {
                List<StoredEvent> missed = call.services().log().listEvents(call.tenant(),
                        new EventQuery(since, null, null, null, MAX_RESUME + 1));
                if (missed.size() > MAX_RESUME) {
                    first.append(new StreamHub.Frame("reset", null, "{}").text());
                    lastSent = missed.getLast().logSeq();
                } else {
                    for (StoredEvent e : missed) {
                        first.append(StreamHub.eventFrame(e).text());
                        lastSent = e.logSeq();
                    }
                }
            }
            if (topics.contains("health")) {
                first.append(hub.healthFrame(call.tenant()).text());
            }
            write(out, first.toString());
            long lastWrite = System.nanoTime();
            long lastHeartbeat = lastWrite;
            long lastKeyCheck = lastWrite;
            String authorization = call.header("Authorization");
            while (!hub.isClosed() && !sub.closed) {
                StreamHub.Frame f;
                try {
                    f = sub.queue.poll(500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (System.nanoTime() - lastKeyCheck >= TimeUnit.MILLISECONDS.toNanos(KEY_CHECK_MS)) {
                    lastKeyCheck = System.nanoTime();
                    if (call.services().authenticator().identify(authorization).isEmpty()) {
                        break; // the key was revoked or expired: its streams end
                    }
                }
                if (f != null) {
                    if (f.logSeq() != null && f.logSeq() <= lastSent) {
                        continue; // already sent by the resume replay
                    }
                    write(out, f.text());
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastHeartbeat >= TimeUnit.MILLISECONDS.toNanos(hub.heartbeatMs())) {
                    String at = Timestamps.toRfc3339(hub.clock().instant());
                    write(out, new StreamHub.Frame("heartbeat", null,
                            JsonWriter.canonicalLenient(JsonObject.builder().put("at", at).build())).text());
                    lastWrite = System.nanoTime();
                    lastHeartbeat = lastWrite;
                } else if (System.nanoTime() - lastWrite >= TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MS)) {
                    write(out, ":\n\n"); // a comment: finds clients that went away
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            hub.unsubscribe(sub);
        }
        return Reply.STREAMED;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Set<String> topics(Call call) {
        List<String> requested = ProjectionReadApi.list(call, "topics");
        if (requested == null) {
            return Set.copyOf(StreamHub.TOPICS);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : requested) {
            if (!StreamHub.TOPICS.contains(t)) {
                throw ApiError.invalidArgument("topics must be a subset of events, health, workflows, runs");
            }
            out.add(t);
        }
        return out;
    }
}
