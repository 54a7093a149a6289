package org.decisiongraph.projection.runtime;

import org.decisiongraph.store.runtime.RuntimeStore;

/**
 * What the runtime reports as it works (metrics, the SSE hub). Called on runtime threads; must be quick and must
 * not throw.
 */
public interface RuntimeListener {
    RuntimeListener NONE = new RuntimeListener() {
    };

    /** A worker started (once per worker). */
    default void workerStarted(String tenant, String projection) {
    }

    /** A worker finished a successful sync. */
    default void workerSynced(String tenant, String projection, long processedEvents) {
    }

    /** A worker sync failed ({@code retrying} or terminal). */
    default void workerFailed(String tenant, String projection, String errorCode, boolean terminal) {
    }

    /** Cursors or digests of the tenant moved (a batch committed, a checkpoint, a failure). */
    default void projectionChanged(String tenant) {
    }

    /** A replay run changed state or progress; {@code event} is started, progress, completed, failed, cancelled. */
    default void runChanged(RuntimeStore.Run run, String event, double durationSeconds) {
    }

    /** A digest verification finished with {@code passed}, {@code failed} or {@code error}. */
    default void verificationFinished(String tenant, String result) {
    }
}
