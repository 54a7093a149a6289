package org.decisiongraph.store.readmodel;

import java.util.Objects;

/**
 * A row of {@code dg_projection_digests}: the digest of one component ({@code context_graph},
 * {@code trace_summary}, {@code precedent_index}) or of {@code full_projection}, with the cursor it was
 * computed at (for full_projection: the minimum of the three cursors) and the wall-clock {@code updatedAt}.
 */
public record DigestCheckpoint(String name, String digest, long lastLogSeq, String updatedAt) {
    public DigestCheckpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
