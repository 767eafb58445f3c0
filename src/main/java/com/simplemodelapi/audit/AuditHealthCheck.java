package com.simplemodelapi.audit;

import com.codahale.metrics.health.HealthCheck;

/** Unhealthy while an audit file cannot be written, or its writer is dead or stuck. */
public class AuditHealthCheck extends HealthCheck {
    private final AuditLogger auditLog;

    public AuditHealthCheck(AuditLogger auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    protected Result check() {
        String failure = auditLog.failure();
        return failure == null
                ? Result.healthy("Writing %s", String.join(", ", auditLog.files()))
                : Result.unhealthy("Cannot write %s", failure);
    }
}
