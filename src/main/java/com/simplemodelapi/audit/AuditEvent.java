package com.simplemodelapi.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * One line of the audit log. It never holds the API key, the Authorization header or the inputs; {@code keyId} is the
 * id of the key the caller used (as {@code keys list} shows it).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditEvent(
        Instant ts,
        String requestId,
        String serverRequestId,
        String user,
        Long keyId,
        String method,
        String path,
        int status,
        double durationMs,
        String model,
        Integer version,
        Integer instances,
        String remoteAddr,
        String userAgent) {
    /** Milliseconds since {@code startNanos} (a {@link System#nanoTime()}), to the microsecond. */
    public static double millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1_000.0;
    }
}
