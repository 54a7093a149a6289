package org.decisiongraph.store.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.decisiongraph.core.event.EventEnvelope;

/**
 * Group commit for single appends. Each caller validates its event on its own thread, then queues it
 * for its tenant; whoever holds the tenant's combining lock takes every queued event (up to
 * {@value #MAX_GROUP}) and appends them in one transaction, deciding each event on its own exactly as a
 * batch does, and hands every caller its own outcome. One caller alone gets a transaction of one;
 * concurrent callers of a tenant share commits (one WAL write, one fsync) instead of queueing for the
 * tenant's append lock one transaction at a time.
 */
final class AppendCombiner {
    static final int MAX_GROUP = 1000;

    private final AppendPipeline pipeline;
    private final ConcurrentHashMap<String, TenantQueue> tenants = new ConcurrentHashMap<>();

    AppendCombiner(AppendPipeline pipeline) {
        this.pipeline = pipeline;
    }

    private static final class Request {
        final AppendPipeline.Prepared prepared;
        AppendOutcome outcome;
        RuntimeException failure;
        volatile boolean done;

        Request(AppendPipeline.Prepared prepared) {
            this.prepared = prepared;
        }
    }

    private static final class TenantQueue {
        final ReentrantLock lock = new ReentrantLock();
        final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    }

    AppendOutcome append(String tenant, EventEnvelope envelope) {
        AppendPipeline.Prepared prepared = pipeline.prepare(envelope);
        if (!prepared.valid()) {
            return new AppendOutcome.Rejected(prepared.error());
        }
        Request mine = new Request(prepared);
        TenantQueue q = tenants.computeIfAbsent(tenant, t -> new TenantQueue());
        q.queue.add(mine);
        while (!mine.done) {
            q.lock.lock();
            try {
                if (!mine.done) {
                    runGroup(tenant, q);
                }
            } finally {
                q.lock.unlock();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.outcome;
    }

    /** Appends the oldest queued events of the tenant together; called with the tenant's lock held. */
    private void runGroup(String tenant, TenantQueue q) {
        List<Request> group = new ArrayList<>();
        Request r;
        while (group.size() < MAX_GROUP && (r = q.queue.poll()) != null) {
            group.add(r);
        }
        if (group.isEmpty()) {
            return;
        }
        AppendPipeline.Prepared[] prepared = new AppendPipeline.Prepared[group.size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = group.get(i).prepared;
        }
        try {
            List<AppendOutcome> outcomes = pipeline.appendPrepared(tenant, prepared, prepared.length, false);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).outcome = outcomes.get(i);
            }
        } catch (RuntimeException e) {
            for (Request each : group) {
                each.failure = e;
            }
        }
        for (Request each : group) {
            each.done = true;
        }
    }
}
