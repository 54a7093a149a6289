package org.decisiongraph.store.workflow;

import java.util.Map;

/** Item counts of a tenant by status, plus overdue open items and notifications. */
public record InboxCounts(Map<String, Long> byStatus, long overdueCount, long notificationCount) {
    public InboxCounts {
        byStatus = Map.copyOf(byStatus);
    }

    public long status(String status) {
        return byStatus.getOrDefault(status, 0L);
    }

    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
