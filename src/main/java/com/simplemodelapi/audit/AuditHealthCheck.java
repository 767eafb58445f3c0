package com.simplemodelapi.audit;

import com.codahale.metrics.health.HealthCheck;

/** Unhealthy while the audit log cannot be written. */
public class AuditHealthCheck extends HealthCheck {
    private final AuditFileWriter writer;

    public AuditHealthCheck(AuditFileWriter writer) {
        this.writer = writer;
    }

    @Override
    protected Result check() {
        String failure = writer.failure();
        return failure == null
                ? Result.healthy("Writing %s", writer.path())
                : Result.unhealthy("Cannot write %s: %s", writer.path(), failure);
    }
}
