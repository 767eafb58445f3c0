package com.simplemodelapi.usage.service;

import com.simplemodelapi.audit.AuditEvent;

/**
 * What requests came to: how many, the instances they predicted (a request that failed predicted none), how many
 * failed (any answer but a 2xx), and their durations added up in microseconds, the audit log's precision, so that
 * sums are exact whatever the order they are added in.
 */
public record UsageCounts(long requests, long instances, long errors, long durationMicros) {
    public static final UsageCounts ZERO = new UsageCounts(0, 0, 0, 0);

    public static UsageCounts of(AuditEvent event) {
        boolean succeeded = event.status() >= 200 && event.status() < 300;
        long instances = succeeded && event.instances() != null ? event.instances() : 0;
        return new UsageCounts(1, instances, succeeded ? 0 : 1, Math.round(event.durationMs() * 1_000));
    }

    public UsageCounts plus(UsageCounts other) {
        return new UsageCounts(requests + other.requests, instances + other.instances, errors + other.errors,
                durationMicros + other.durationMicros);
    }
}
