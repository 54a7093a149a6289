package org.decisiongraph.store.readmodel;

import java.util.Comparator;
import java.util.Objects;

import org.decisiongraph.core.json.CodePointOrder;

/**
 * One result of {@link ReadModelStore#findPrecedents}: a finished trace's summary and, for a policy search, the
 * policy of the trace's best precedent row (null otherwise).
 */
public record PrecedentMatch(TraceSummaryRow summary, String policyId, String policyVersion) {
    /** Result order: {@code last_log_seq DESC, trace_id ASC} (code point). */
    public static final Comparator<TraceSummaryRow> RESULT_ORDER =
            Comparator.comparingLong(TraceSummaryRow::lastLogSeq).reversed()
                    .thenComparing(TraceSummaryRow::traceId, CodePointOrder.INSTANCE);

    /**
     * Which precedent row of a trace represents it: rows with an exception_id first, then the newest
     * {@code log_seq}, then the smallest {@code source_event_id} (code point). The best row sorts first.
     */
    public static final Comparator<PrecedentRow> BEST_ROW_FIRST =
            Comparator.comparing((PrecedentRow r) -> r.exceptionId() == null)
                    .thenComparing(Comparator.comparingLong(PrecedentRow::logSeq).reversed())
                    .thenComparing(PrecedentRow::sourceEventId, CodePointOrder.INSTANCE);

    public PrecedentMatch {
        Objects.requireNonNull(summary, "summary");
    }
}
