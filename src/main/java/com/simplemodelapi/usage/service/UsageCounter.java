package com.simplemodelapi.usage.service;

import com.simplemodelapi.audit.AuditEvent;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests in memory, by {@link UsageKey}, until the flusher drains them. A count is added under the map's lock
 * for its key, and a key is drained (read and removed) under the same lock, so a count is drained exactly once, however
 * the two interleave. The lock is held for a few additions; requests never wait for the database.
 */
public final class UsageCounter {
    private final ConcurrentHashMap<UsageKey, UsageCounts> counts = new ConcurrentHashMap<>();

    /** Counts the request the event records, if it reached a model version. */
    public void count(AuditEvent event) {
        UsageKey key = UsageKey.of(event);
        if (key != null) {
            UsageCounts counted = UsageCounts.of(event);
            counts.merge(key, counted, UsageCounts::plus);
        }
    }

    /** Everything counted since the last drain, which this removes. */
    public Map<UsageKey, UsageCounts> drain() {
        Map<UsageKey, UsageCounts> drained = new HashMap<>();
        for (UsageKey key : counts.keySet()) {
            counts.computeIfPresent(key, (k, value) -> {
                drained.put(k, value);
                return null;
            });
        }
        return drained;
    }

    /** Keys counted and not yet drained. */
    public int size() {
        return counts.size();
    }
}
