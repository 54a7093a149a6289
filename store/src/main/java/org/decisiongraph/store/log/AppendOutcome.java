package org.decisiongraph.store.log;

import java.util.Objects;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.StoredEvent;

/**
 * What happened to one appended envelope. {@link EventLog#append} returns {@link Appended} or
 * {@link Reused} and throws the error of a rejection; {@link EventLog#appendBatch} reports rejections as
 * {@link Rejected} so the other events of the batch can still commit.
 */
public sealed interface AppendOutcome {

    /** Newly stored, with its new {@code log_seq}. */
    record Appended(StoredEvent event) implements AppendOutcome {
        public Appended {
            Objects.requireNonNull(event, "event");
        }
    }

    /** An idempotent retry: the event stored earlier under the same producer and key, unchanged. */
    record Reused(StoredEvent event) implements AppendOutcome {
        public Reused {
            Objects.requireNonNull(event, "event");
        }
    }

    /** Not stored; nothing of it was written. */
    record Rejected(DgException error) implements AppendOutcome {
        public Rejected {
            Objects.requireNonNull(error, "error");
        }
    }

    /** {@code appended}, {@code reused} or {@code rejected} (the words of {@code dg import} and the batch API). */
    default String outcome() {
        return switch (this) {
            case Appended a -> "appended";
            case Reused r -> "reused";
            case Rejected r -> "rejected";
        };
    }

    /** The stored event, or null for a rejection. */
    default StoredEvent eventOrNull() {
        return switch (this) {
            case Appended a -> a.event();
            case Reused r -> r.event();
            case Rejected r -> null;
        };
    }
}
