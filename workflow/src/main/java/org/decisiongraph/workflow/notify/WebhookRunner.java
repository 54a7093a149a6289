package org.decisiongraph.workflow.notify;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link WebhookDispatcher#runDue} every {@code intervalMillis} on one daemon thread. */
public final class WebhookRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRunner.class);

    private final WebhookDispatcher dispatcher;
    private final Clock clock;
    private final ScheduledExecutorService executor;

    public WebhookRunner(WebhookDispatcher dispatcher, Clock clock) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dg-webhooks");
            t.setDaemon(true);
            return t;
        });
    }

    public WebhookRunner start(long intervalMillis) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                dispatcher.runDue(clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("webhook_dispatch_failed error={}", e.toString());
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
