package com.simplemodelapi.usage.service;

import com.simplemodelapi.audit.AuditEvent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a request is counted under: one row of the usage table. Only requests that reached a model version count: the
 * caller is known, the model version was found for them, and the answer came from there on. A prediction names its
 * model and version in the audit record before looking it up, and every miss of the lookup is a 404, while no answer
 * after a version is found is; so the audit record alone says whether a request counts, and rebuilding usage from
 * audit lines counts exactly what the server counted.
 */
public record UsageKey(String user, String model, int version, Instant minute, String statusClass) {

    /** The key a request is counted under, or null for a request that did not reach a model version. */
    public static UsageKey of(AuditEvent event) {
        if (event.user() == null || event.model() == null || event.version() == null || event.status() == 404) {
            return null;
        }
        return new UsageKey(event.user(), event.model(), event.version(),
                event.ts().truncatedTo(ChronoUnit.MINUTES), statusClass(event.status()));
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
    }
}
