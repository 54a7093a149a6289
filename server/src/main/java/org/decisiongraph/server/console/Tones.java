package org.decisiongraph.server.console;

import java.util.Set;

/** The status tones of platform spec 4.3 (CSS classes), and short digests for tables. */
public final class Tones {
    private static final Set<String> GOOD = Set.of("success", "allow", "approved", "completed", "ready", "healthy", "match", "aligned");
    private static final Set<String> WARN = Set.of("running", "pending", "requested", "reviewed", "stale", "catching up", "queued",
            "in_review", "changes_requested", "newer than last replay");
    private static final Set<String> ALERT = Set.of("failed", "rejected", "deny", "denied", "overdue", "escalated", "failing",
            "mismatch", "needs review", "operator attention", "cancelled");

    private Tones() {
    }

    public static String of(String status) {
        if (status == null) {
            return "status-neutral";
        }
        String s = status.toLowerCase(java.util.Locale.ROOT);
        if (GOOD.contains(s)) {
            return "status-good";
        }
        if (WARN.contains(s)) {
            return "status-warn";
        }
        return ALERT.contains(s) ? "status-alert" : "status-neutral";
    }

    /** A digest shortened to 20 characters plus {@code ...}; {@code -} when null. */
    public static String shortDigest(String digest) {
        if (digest == null) {
            return "-";
        }
        return digest.length() <= 20 ? digest : digest.substring(0, 20) + "...";
    }
}
