package com.simplemodelapi.access.model;

/**
 * An operator's limits on one user; each is null when not set. The rate is a token bucket of {@code burst} requests
 * refilled at {@code ratePerSecond}; the instance quotas count the records predicted per UTC day and month.
 */
public record Limits(Double ratePerSecond, Integer burst, Long dailyInstances, Long monthlyInstances) {
    public static final Limits NONE = new Limits(null, null, null, null);

    public boolean isEmpty() {
        return equals(NONE);
    }

    public boolean hasInstanceQuota() {
        return dailyInstances != null || monthlyInstances != null;
    }

    /** The bucket's size: the burst set, or one second's worth of the rate (at least one request). */
    public int burstOrDefault() {
        return burst != null ? burst : (int) Math.max(1, Math.ceil(ratePerSecond));
    }

    /** These limits with the ones {@code changes} sets replacing them; null in {@code changes} keeps what is here. */
    public Limits with(Limits changes) {
        return new Limits(
                changes.ratePerSecond != null ? changes.ratePerSecond : ratePerSecond,
                changes.burst != null ? changes.burst : burst,
                changes.dailyInstances != null ? changes.dailyInstances : dailyInstances,
                changes.monthlyInstances != null ? changes.monthlyInstances : monthlyInstances);
    }
}
