package com.simplemodelapi.audit;

import com.codahale.metrics.health.HealthCheck;

/**
 * Healthy while the audit log lets application requests be served: it can be written, or the appender that cannot
 * fails open. One of the two checks readiness asks; the {@code audit} check, which fails whenever a file cannot be
 * written, is the one to alert on.
 */
public class AuditAcceptingCheck extends HealthCheck {
    private final AuditLogger auditLog;

    public AuditAcceptingCheck(AuditLogger auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    protected Result check() {
        String failure = auditLog.failure();
        if (!auditLog.accepting()) {
            return Result.unhealthy("Refusing application requests: the audit log cannot be written (%s)", failure);
        }
        return failure == null
                ? Result.healthy("Serving: the audit log can be written")
                : Result.healthy("Serving, though the audit log cannot be written (%s): it fails open", failure);
    }
}
