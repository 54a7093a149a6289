package org.decisiongraph.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An open Server-Sent Events stream ({@code GET /api/v1/stream}): frames are parsed on a background virtual thread
 * and handed out by {@link #next}. Comment lines are skipped. {@link #close} ends the connection.
 */
public final class SseStream implements AutoCloseable {
    /** One frame: {@code event}, {@code id} (or null) and {@code data}. */
    public record Frame(String event, String id, String data) {
    }

    private static final Frame END = new Frame("", null, "");
    private final Stream<String> lines;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    SseStream(Stream<String> lines) {
        this.lines = lines;
        this.reader = Thread.ofVirtual().name("dg-sse-reader").start(this::read);
    }

    private void read() {
        String event = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        try {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (event != null || !data.isEmpty()) {
                        frames.add(new Frame(event == null ? "message" : event, id, data.toString()));
                    }
                    event = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    continue;
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).strip());
                }
            }
        } catch (RuntimeException e) {
            // closed
        } finally {
            ended = true;
            frames.add(END);
        }
    }

    /** The next frame, or null when none arrives within {@code timeout} or the stream ended. */
    public Frame next(Duration timeout) {
        try {
            Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (f == END) {
                frames.add(END);
                return null;
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next frame with this event name (others are skipped), or null on timeout. */
    public Frame next(String event, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Frame f = next(Duration.ofNanos(left));
            if (f == null) {
                return null;
            }
            if (f.event().equals(event)) {
                return f;
            }
        }
    }

    /** Whether the server ended the stream (or it was closed). */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
    }
}
